package org.devicegrant.internal;

import org.devicegrant.InvalidSettingException;

import java.util.Objects;

/**
 * The checks every builder and settings record of core goes through: a setting is assigned at
 * most once, a required one is present, and a value lies in its allowed range. Each failure names
 * the setting and what it allows.
 */
public final class Setting {

    private Setting() {
    }

    /**
     * A builder's assignment of {@code value} to a setting that currently holds {@code current}.
     *
     * @return {@code value}
     * @throws IllegalStateException the setting was already assigned
     * @throws NullPointerException  {@code value} is null
     */
    public static <T> T once(T current, T value, String setting) {
        if (current != null) {
            throw new IllegalStateException(setting + " was already set");
        }
        return Objects.requireNonNull(value, setting);
    }

    /**
     * @return {@code value}
     * @throws InvalidSettingException {@code value} is null
     */
    public static <T> T required(T value, String setting, String allowed) {
        if (value == null) {
            throw new InvalidSettingException(setting, allowed, null);
        }
        return value;
    }

    /**
     * The one range check: refuses {@code actual} unless {@code allowed} holds.
     *
     * @param actual what was given, as it may be shown in a log (never a secret)
     * @throws InvalidSettingException {@code allowed} is false
     */
    public static void require(boolean allowed, String setting, String allowedRange, Object actual) {
        if (!allowed) {
            throw new InvalidSettingException(setting, allowedRange, String.valueOf(actual));
        }
    }

    /**
     * @return {@code value}
     * @throws InvalidSettingException {@code value} is outside [{@code min}, {@code max}]
     */
    public static <T extends Comparable<? super T>> T inRange(T value, T min, T max, String setting) {
        Objects.requireNonNull(value, setting);
        require(value.compareTo(min) >= 0 && value.compareTo(max) <= 0, setting, "between " + min + " and " + max,
                value);
        return value;
    }
}
