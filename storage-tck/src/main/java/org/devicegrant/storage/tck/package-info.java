/**
 * The storage conformance kit: abstract JUnit 5 suites that every
 * {@link org.devicegrant.storage.DeviceAuthorizationStore},
 * {@link org.devicegrant.storage.GrantStore} and
 * {@link org.devicegrant.storage.AttemptLimiter} implementation extends in a few lines, plus the
 * {@link org.devicegrant.storage.tck.MutableClock} and {@link org.devicegrant.storage.tck.Fixtures}
 * they use. Ship it as a test dependency of a store module.
 */
package org.devicegrant.storage.tck;
