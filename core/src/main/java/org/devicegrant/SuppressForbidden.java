package org.devicegrant;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one place allowed to read the ambient clock or make a {@code SecureRandom}: the
 * defaults a host gets when it injects neither. The forbiddenapis build rule honours it.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface SuppressForbidden {
}
