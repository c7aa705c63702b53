package org.devicegrant.internal;

/**
 * What an endpoint decided about one request, before anything is written: {@link ResponseRenderer}
 * turns it into the response and {@link GrantEvents} into the listener's events. Immutable values
 * that never show a code or a token in {@code toString}.
 */
sealed interface EndpointResult permits PollResult, DeviceAuthorizationResult, RefreshResult, RevocationResult,
        IntrospectionResult {
}
