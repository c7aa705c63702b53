package org.devicegrant;

/**
 * A setting of the device grant, or of one of its builders, is missing or outside its allowed
 * range. Thrown when the configuration is built (and, for tenant and client settings, when a
 * request first meets them). The message names the setting, what is allowed and what was given;
 * a secret setting is shown by its length only.
 *
 * <p>An {@link IllegalArgumentException}, so that code catching that keeps working.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String allowed;

    /**
     * @param setting the setting's name, e.g. {@code codeLifetime}
     * @param allowed what the setting accepts, e.g. {@code between PT1M and PT1H}
     * @param actual  what was given, safe to log; null when the setting is missing
     */
    public InvalidSettingException(String setting, String allowed, String actual) {
        super(actual == null
                ? setting + " is required: " + allowed
                : setting + " must be " + allowed + ", was " + actual);
        this.setting = setting;
        this.allowed = allowed;
    }

    /** The setting's name, e.g. {@code codeLifetime} or {@code pollingInterval of tenant acme}. */
    public String setting() {
        return setting;
    }

    /** What the setting accepts, e.g. {@code between PT1M and PT1H}. */
    public String allowed() {
        return allowed;
    }
}
