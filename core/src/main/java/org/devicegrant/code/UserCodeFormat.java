package org.devicegrant.code;

import org.devicegrant.internal.Setting;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user-code format: a charset plus a mask (RFC 8628 §6.1).
 *
 * <p>Each {@code 'X'} in the mask stands for one charset character; every other mask character
 * is a literal separator that appears only in the {@linkplain #display(String) display form}.
 * The <em>canonical</em> form of a code is its charset characters alone, without separators:
 * it is what {@link #generate(SecureRandom)} returns, what {@link #normalize(String)} yields,
 * and what gets hashed for storage.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class UserCodeFormat {

    /** Input longer than this many characters is rejected before any other work (RFC 8628 §5.1). */
    public static final int MAX_INPUT_LENGTH = 64;

    /** At least this many characters in a charset. */
    private static final int MIN_CHARSET_SIZE = 2;

    /** At most this many characters in a charset; each one must fit a single random byte. */
    private static final int MAX_CHARSET_SIZE = 64;

    /**
     * Eight base-20 consonants shown as {@code XXXX-XXXX}: about 34.6 bits. RFC 8628 §6.1's
     * example charset (upper-case letters without vowels); case-insensitive on input; no
     * look-alikes.
     */
    public static final UserCodeFormat BASE20 = of("BCDFGHJKLMNPQRSTVWXZ", "XXXX-XXXX");

    /**
     * Nine digits shown as {@code XXX-XXX-XXX}: about 29.9 bits, the least RFC 8628 §6.1
     * suggests for a numeric code. Accepts {@code O} for {@code 0} and {@code I}, {@code L} for
     * {@code 1}, in either case.
     */
    public static final UserCodeFormat DIGITS = of("0123456789", "XXX-XXX-XXX")
            .withLookAlikes(Map.of('O', '0', 'I', '1', 'L', '1'));

    private static final char SLOT = 'X';
    private static final char FIRST_VISIBLE = '!';
    private static final char LAST_VISIBLE = '~';

    private enum CaseFold { UPPER, LOWER, NONE }

    private final String charset;
    private final String mask;
    private final int length;
    private final Map<Character, Character> lookAlikes;
    private final CaseFold caseFold;
    private final boolean[] inCharset;
    private final int acceptBelow;
    private final int bucketSize;

    private UserCodeFormat(String charset, String mask, Map<Character, Character> lookAlikes) {
        this.charset = charset;
        this.mask = mask;
        this.length = (int) mask.chars().filter(c -> c == SLOT).count();
        this.lookAlikes = Map.copyOf(lookAlikes);
        this.caseFold = caseFoldOf(charset);
        this.inCharset = new boolean[LAST_VISIBLE + 1];
        for (int i = 0; i < charset.length(); i++) {
            inCharset[charset.charAt(i)] = true;
        }
        int size = charset.length();
        this.acceptBelow = 256 - 256 % size;
        this.bucketSize = acceptBelow / size;
    }

    /**
     * A format from a charset and a mask, without look-alikes.
     *
     * @param charset 2 to 64 distinct visible ASCII characters ({@code '!'} to {@code '~'}); it
     *                may include {@code 'X'} (RFC 8628 §6.1's base-20 set does), since in the
     *                mask {@code 'X'} always stands for a code character
     * @param mask    at least one {@code 'X'}; its other characters are separators, which must be
     *                printable ASCII (space included) and not in the charset; at most
     *                {@value #MAX_INPUT_LENGTH} characters, so the display form is always
     *                accepted as input
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException naming the rule the charset or mask breaks
     */
    public static UserCodeFormat of(String charset, String mask) {
        Objects.requireNonNull(charset, "charset");
        Objects.requireNonNull(mask, "mask");
        Setting.require(charset.length() >= MIN_CHARSET_SIZE && charset.length() <= MAX_CHARSET_SIZE,
                "user-code charset", MIN_CHARSET_SIZE + " to " + MAX_CHARSET_SIZE + " characters",
                charset.length() + " characters");
        boolean[] seen = new boolean[LAST_VISIBLE + 1];
        for (int i = 0; i < charset.length(); i++) {
            char c = charset.charAt(i);
            if (c < FIRST_VISIBLE || c > LAST_VISIBLE) {
                throw new IllegalArgumentException("user-code charset must hold only visible ASCII characters"
                        + " ('!' to '~'); character " + i + " is U+" + hex(c));
            }
            if (seen[c]) {
                throw new IllegalArgumentException("user-code charset characters must be distinct; '" + c
                        + "' appears more than once");
            }
            seen[c] = true;
        }
        Setting.require(mask.length() <= MAX_INPUT_LENGTH, "user-code mask",
                "at most " + MAX_INPUT_LENGTH + " characters", mask.length() + " characters");
        int slots = 0;
        for (int i = 0; i < mask.length(); i++) {
            char c = mask.charAt(i);
            if (c == SLOT) {
                slots++;
            } else if (c < ' ' || c > LAST_VISIBLE) {
                throw new IllegalArgumentException("user-code mask separators must be printable ASCII"
                        + " (' ' to '~'); character " + i + " is U+" + hex(c));
            } else if (seen[c]) {
                throw new IllegalArgumentException("user-code mask separator '" + c
                        + "' must not be a charset character");
            }
        }
        if (slots == 0) {
            throw new IllegalArgumentException("user-code mask must contain at least one 'X'");
        }
        return new UserCodeFormat(charset, mask, Map.of());
    }

    /**
     * This format with {@code lookAlikes} as its look-alike table, replacing any it had.
     * During {@linkplain #normalize(String) normalisation} a typed key character becomes its
     * value. Keys are case-folded like input, so for a single-case charset one entry covers
     * both cases.
     *
     * @param lookAlikes typed character to charset character; may be empty
     * @throws NullPointerException     if the map, a key or a value is null
     * @throws IllegalArgumentException if a value is not in the charset, a key is in the charset
     *                                  or is a mask separator, or two keys fold to the same
     *                                  character with different values
     */
    public UserCodeFormat withLookAlikes(Map<Character, Character> lookAlikes) {
        Objects.requireNonNull(lookAlikes, "lookAlikes");
        Map<Character, Character> folded = new HashMap<>();
        lookAlikes.forEach((typed, meant) -> {
            Objects.requireNonNull(typed, "look-alike key");
            Objects.requireNonNull(meant, "look-alike value");
            if (!isInCharset(meant)) {
                throw new IllegalArgumentException("look-alike target '" + meant + "' is not in the charset");
            }
            char key = fold(typed);
            if (isInCharset(key)) {
                throw new IllegalArgumentException("look-alike '" + typed + "' is itself a charset character");
            }
            if (mask.indexOf(typed) >= 0 || mask.indexOf(key) >= 0) {
                throw new IllegalArgumentException("look-alike '" + typed + "' is a mask separator");
            }
            Character previous = folded.putIfAbsent(key, meant);
            if (previous != null && previous != meant.charValue()) {
                throw new IllegalArgumentException("look-alike '" + typed + "' maps to both '" + previous
                        + "' and '" + meant + "' after case folding");
            }
        });
        return new UserCodeFormat(charset, mask, folded);
    }

    /** The characters a code is made of, in generation order. */
    public String charset() {
        return charset;
    }

    /** The display mask: {@code 'X'} for a code character, anything else a separator. */
    public String mask() {
        return mask;
    }

    /** The look-alike table after case folding: typed character to charset character. */
    Map<Character, Character> lookAlikes() {
        return lookAlikes;
    }

    /** The number of characters in a canonical code: the number of {@code 'X'} in the mask. */
    public int length() {
        return length;
    }

    /** The number of distinct codes, S = |charset|^length. */
    public double codeSpace() {
        return Math.pow(charset.length(), length);
    }

    /**
     * A new code in canonical form, each character drawn uniformly and independently from the
     * charset. Random bytes at or above the largest multiple of the charset size are discarded
     * and redrawn (rejection sampling), so no character is favoured (RFC 8628 §6.1).
     *
     * @param random the randomness source; only {@link SecureRandom#nextBytes(byte[])} is used
     * @throws NullPointerException if {@code random} is null
     */
    public String generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        char[] code = new char[length];
        int filled = 0;
        while (filled < length) {
            byte[] draw = new byte[length - filled];
            random.nextBytes(draw);
            for (byte b : draw) {
                int value = b & 0xFF;
                if (value < acceptBelow) {
                    code[filled++] = charset.charAt(value / bucketSize);
                }
            }
        }
        return new String(code);
    }

    /**
     * The display form of a canonical code: the mask with each {@code 'X'} replaced by the next
     * code character, e.g. {@code "WDJBMJHT"} becomes {@code "WDJB-MJHT"} under
     * {@code XXXX-XXXX}.
     *
     * @throws NullPointerException     if {@code canonical} is null
     * @throws IllegalArgumentException if {@code canonical} is not {@link #length()} charset
     *                                  characters; the message does not repeat the code
     */
    public String display(String canonical) {
        Objects.requireNonNull(canonical, "canonical");
        if (!isCanonical(canonical)) {
            throw new IllegalArgumentException(
                    "canonical user code must be " + length + " characters of the format's charset");
        }
        StringBuilder shown = new StringBuilder(mask.length());
        int next = 0;
        for (int i = 0; i < mask.length(); i++) {
            char c = mask.charAt(i);
            shown.append(c == SLOT ? canonical.charAt(next++) : c);
        }
        return shown.toString();
    }

    /**
     * The canonical code a user meant by {@code input}, or empty if it cannot be one (RFC 8628 §6.1).
     * In order: null or longer than {@value #MAX_INPUT_LENGTH} characters gives empty at once;
     * case is folded with {@link Locale#ROOT} when the charset has a single case (upper case
     * when it has no lower-case letters); look-alikes are replaced; every character outside the
     * charset (separators, spaces, punctuation) is dropped; what remains must be exactly
     * {@link #length()} characters.
     */
    public Optional<String> normalize(String input) {
        if (input == null || input.length() > MAX_INPUT_LENGTH) {
            return Optional.empty();
        }
        // RFC 8628 §6.1: for an A-Z charset "the user's input should be upper-cased before
        // comparison"; any single-case charset is folded the same way.
        String folded = switch (caseFold) {
            case UPPER -> input.toUpperCase(Locale.ROOT);
            case LOWER -> input.toLowerCase(Locale.ROOT);
            case NONE -> input;
        };
        StringBuilder canonical = new StringBuilder(length);
        for (int i = 0; i < folded.length(); i++) {
            char c = lookAlikes.getOrDefault(folded.charAt(i), folded.charAt(i));
            // RFC 8628 §6.1: "stripping of all characters outside the user_code character set
            // is recommended".
            if (isInCharset(c)) {
                if (canonical.length() == length) {
                    return Optional.empty();
                }
                canonical.append(c);
            }
        }
        return canonical.length() == length ? Optional.of(canonical.toString()) : Optional.empty();
    }

    private boolean isCanonical(String candidate) {
        if (candidate.length() != length) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            if (!isInCharset(candidate.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean isInCharset(char c) {
        return c < inCharset.length && inCharset[c];
    }

    private char fold(char c) {
        return switch (caseFold) {
            case UPPER -> Character.toUpperCase(c);
            case LOWER -> Character.toLowerCase(c);
            case NONE -> c;
        };
    }

    private static CaseFold caseFoldOf(String charset) {
        boolean upper = charset.chars().anyMatch(Character::isUpperCase);
        boolean lower = charset.chars().anyMatch(Character::isLowerCase);
        if (upper && lower) {
            return CaseFold.NONE;
        }
        return lower ? CaseFold.LOWER : CaseFold.UPPER;
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "%04X", (int) c);
    }

    /** Equal when charset, mask and look-alikes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof UserCodeFormat that
                && charset.equals(that.charset)
                && mask.equals(that.mask)
                && lookAlikes.equals(that.lookAlikes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(charset, mask, lookAlikes);
    }

    @Override
    public String toString() {
        return "UserCodeFormat[charset=" + charset + ", mask=" + mask + ", lookAlikes=" + lookAlikes + "]";
    }
}
