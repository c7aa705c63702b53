/**
 * The storage SPI: the {@code DeviceAuthorization} record, its {@code AuthorizationStatus}, the store and
 * attempt-limiter interfaces every store implements, and their exceptions. JDK only.
 */
module org.devicegrant.storage {
    exports org.devicegrant.storage;
}
