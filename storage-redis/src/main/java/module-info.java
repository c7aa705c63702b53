/** The store and attempt limiter on Redis (standalone, Sentinel, Cluster) through Lettuce. */
module org.devicegrant.storage.redis {
    requires transitive org.devicegrant.storage;
    requires transitive lettuce.core;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports org.devicegrant.storage.redis;
}
