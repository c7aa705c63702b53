/**
 * QR codes of {@code verification_uri_complete} (RFC 8628 §3.3.1) as PNG, SVG or terminal text.
 */
package org.devicegrant.qr;
