/**
 * The device side of the OAuth 2.0 Device Authorization Grant (RFC 8628): a polling client for
 * command-line tools, TVs and other input-constrained devices.
 *
 * <p>{@link org.devicegrant.device.DeviceFlowClient#start()} requests a device code and a user
 * code (RFC 8628 §3.1, §3.2); the application shows the user code and the verification URI
 * (§3.3) and then calls
 * {@link org.devicegrant.device.DeviceFlowClient#await(DeviceCodes, PollListener, CancellationToken)},
 * which polls the token endpoint honouring {@code interval}, {@code slow_down} and
 * {@code expires_in} (§3.4, §3.5) until it holds a {@link org.devicegrant.device.TokenResult}.
 *
 * <p>After sign-in the device keeps its tokens in a {@link org.devicegrant.device.TokenCache}
 * (in memory, or in a file only its owner can read), and
 * {@link org.devicegrant.device.ValidToken} hands out an access token that is valid for a margin,
 * refreshing it (RFC 6749 §6) and saving the rotated refresh token first when it is not;
 * {@link org.devicegrant.device.ValidToken#signOut()} signs the device out, revoking its refresh
 * token (RFC 7009) with {@link org.devicegrant.device.DeviceFlowClient#revoke(String, TokenTypeHint)}
 * and then clearing the cache.
 *
 * <p>Time comes from an injected {@link java.time.Clock} and waiting from a
 * {@link org.devicegrant.device.Sleeper}, so the whole flow runs in tests without a real wait.
 * Nothing here logs, or puts into an exception message, a device code, a user code, a client
 * secret or a token. This package does not depend on {@code devicegrant-core}.
 */
package org.devicegrant.device;
