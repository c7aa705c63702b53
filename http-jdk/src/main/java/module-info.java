/** Serves a {@code DeviceGrant} from the JDK's built-in HTTP server. */
module org.devicegrant.http.jdk {
    requires transitive org.devicegrant;
    requires transitive jdk.httpserver;

    exports org.devicegrant.http.jdk;
}
