/** The conformance kit every store passes: abstract JUnit Jupiter contracts, a mutable clock, fixtures. */
module org.devicegrant.storage.tck {
    requires transitive org.devicegrant.storage;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports org.devicegrant.storage.tck;

    // JUnit instantiates the contract subclasses and calls their test methods reflectively
    opens org.devicegrant.storage.tck to org.junit.platform.commons;
}
