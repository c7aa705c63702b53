/** The authorization and grant stores and the attempt limiter over plain JDBC: PostgreSQL, MariaDB/MySQL, H2. */
module org.devicegrant.storage.jdbc {
    requires transitive org.devicegrant.storage;
    requires transitive java.sql;

    exports org.devicegrant.storage.jdbc;
}
