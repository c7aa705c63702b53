/** The embedded default store and attempt limiter, for one node. */
module org.devicegrant.storage.inmemory {
    requires transitive org.devicegrant.storage;

    exports org.devicegrant.storage.inmemory;
}
