/** The conformance kit every HTTP adapter passes: an abstract JUnit Jupiter contract over real HTTP. */
module org.devicegrant.http.tck {
    requires transitive org.devicegrant;
    requires transitive org.junit.jupiter.api;
    requires org.devicegrant.storage.inmemory;
    requires org.devicegrant.storage.tck;
    requires com.fasterxml.jackson.databind;
    requires org.assertj.core;
    requires java.net.http;

    exports org.devicegrant.http.tck;

    // JUnit instantiates the contract subclasses and calls their test methods reflectively
    opens org.devicegrant.http.tck to org.junit.platform.commons;
}
