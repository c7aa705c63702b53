/**
 * Codes of the device grant (RFC 8628 §6.1, §5.1): {@link org.devicegrant.code.UserCodeFormat}
 * generates, displays and normalises user codes; {@link org.devicegrant.code.CodeHasher} turns
 * device and user codes into the hashes a store keeps; {@link org.devicegrant.code.BruteForceRisk}
 * is the user-code brute-force estimate checked when a grant is built. Every type here is
 * immutable and thread-safe, and none of them logs or puts a raw code into an exception message.
 */
package org.devicegrant.code;
