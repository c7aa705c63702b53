/** Serves a {@code DeviceGrant} from any Jakarta Servlet 6 container. */
module org.devicegrant.http.servlet {
    requires transitive org.devicegrant;
    requires transitive jakarta.servlet;

    exports org.devicegrant.http.servlet;
}
