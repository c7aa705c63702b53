/**
 * The storage SPI of devicegrant: the {@link org.devicegrant.storage.DeviceAuthorization} record,
 * its {@link org.devicegrant.storage.AuthorizationStatus}, the {@link org.devicegrant.storage.Grant}
 * record (of which a {@link org.devicegrant.storage.LinkedDevice} is a view), the
 * {@link org.devicegrant.storage.DeviceAuthorizationStore}, {@link org.devicegrant.storage.GrantStore}
 * and {@link org.devicegrant.storage.AttemptLimiter} contracts, and their exceptions. Depends on
 * nothing but the JDK. Implementations prove themselves with the {@code devicegrant-storage-tck}
 * suite.
 */
package org.devicegrant.storage;
