/**
 * The embedded default storage of devicegrant: {@link
 * org.devicegrant.storage.inmemory.InMemoryDeviceAuthorizationStore}, {@link
 * org.devicegrant.storage.inmemory.InMemoryGrantStore} and {@link
 * org.devicegrant.storage.inmemory.InMemoryAttemptLimiter}, for single-node hosts and tests.
 * Nothing survives a restart and nothing is shared between processes.
 */
package org.devicegrant.storage.inmemory;
