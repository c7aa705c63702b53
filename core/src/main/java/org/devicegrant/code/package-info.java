/**
 * Codes of the device grant (RFC 8628 §6.1, §5.1, §5.2): {@link org.devicegrant.code.UserCodeFormat}
 * generates, displays and normalises user codes; {@link org.devicegrant.code.DeviceCodeGenerator}
 * makes device codes; {@link org.devicegrant.code.CodeHasher} turns both into the hashes a store
 * keeps; {@link org.devicegrant.code.BruteForceRisk} is the user-code brute-force estimate checked
 * at start-up. Every type here is immutable and thread-safe, and none of them logs or puts a raw
 * code into an exception message.
 */
package org.devicegrant.code;
