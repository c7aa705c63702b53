package org.devicegrant.qr;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import org.devicegrant.internal.Setting;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * QR codes of a {@code verification_uri_complete} for a device to show (RFC 8628 §3.3.1):
 * as PNG, as SVG and as text for a terminal. Error correction level M; a quiet zone of
 * four light modules on every side, as ISO/IEC 18004 asks.
 *
 * <p>Stateless and thread-safe. The text usually carries a user code, so no exception message
 * ever repeats it.
 */
public final class QrCodes {

    /** Light modules around the symbol on every side. */
    static final int QUIET_ZONE = 4;

    /** The largest PNG this class renders, in pixels per side. */
    static final int MAX_SIZE_PX = 4096;

    private static final int DARK = 0x000000;
    private static final int LIGHT = 0xFFFFFF;
    private static final String ANSI_BLACK_ON_WHITE = "\u001b[30;107m";
    private static final String ANSI_RESET = "\u001b[0m";

    private QrCodes() {
    }

    /**
     * A square PNG of {@code sizePx} × {@code sizePx} pixels: whole pixels per module, the
     * symbol centred, the rest light.
     *
     * @throws NullPointerException     {@code text} is null
     * @throws IllegalArgumentException {@code text} is empty or too long for a QR code, or
     *                                  {@code sizePx} is above 4096 or too small
     *                                  to give each module (quiet zone included) one pixel
     */
    public static byte[] png(String text, int sizePx) {
        Modules modules = encode(text);
        int side = modules.sideWithQuietZone();
        Setting.require(sizePx >= side && sizePx <= MAX_SIZE_PX, "sizePx", "between " + side
                + " (one pixel per module of this code, quiet zone included) and " + MAX_SIZE_PX, sizePx);
        int scale = sizePx / side;
        int offset = (sizePx - side * scale) / 2 + QUIET_ZONE * scale;
        BufferedImage image = new BufferedImage(sizePx, sizePx, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < sizePx; y++) {
            for (int x = 0; x < sizePx; x++) {
                image.setRGB(x, y, LIGHT);
            }
        }
        for (int my = 0; my < modules.side(); my++) {
            for (int mx = 0; mx < modules.side(); mx++) {
                if (modules.dark(mx, my)) {
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(offset + mx * scale + dx, offset + my * scale + dy, DARK);
                        }
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * A standalone SVG document whose user units are modules: the {@code viewBox} is the
     * symbol plus its quiet zone, a light background, and one path of the dark modules. Scale
     * it with CSS or {@code width}/{@code height}.
     *
     * @throws NullPointerException     {@code text} is null
     * @throws IllegalArgumentException {@code text} is empty or too long for a QR code
     */
    public static String svg(String text) {
        Modules modules = encode(text);
        int side = modules.sideWithQuietZone();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < modules.side(); y++) {
            int x = 0;
            while (x < modules.side()) {
                if (!modules.dark(x, y)) {
                    x++;
                    continue;
                }
                int run = 0;
                while (x + run < modules.side() && modules.dark(x + run, y)) {
                    run++;
                }
                path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE)
                        .append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + side + " " + side
                + "\" shape-rendering=\"crispEdges\">\n"
                + "<rect width=\"" + side + "\" height=\"" + side + "\" fill=\"#ffffff\"/>\n"
                + "<path fill=\"#000000\" d=\"" + path + "\"/>\n"
                + "</svg>\n";
    }

    /**
     * The code drawn with Unicode half blocks, two module rows per line, for a terminal. Each
     * line sets black on bright white with ANSI escapes and resets at its end, so the code
     * reads the same in a dark or a light terminal. Lines end with {@code \n}.
     *
     * @throws NullPointerException     {@code text} is null
     * @throws IllegalArgumentException {@code text} is empty or too long for a QR code
     */
    public static String terminal(String text) {
        Modules modules = encode(text);
        int side = modules.sideWithQuietZone();
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < side; y += 2) {
            out.append(ANSI_BLACK_ON_WHITE);
            for (int x = 0; x < side; x++) {
                boolean top = modules.darkWithQuietZone(x, y);
                boolean bottom = modules.darkWithQuietZone(x, y + 1);
                out.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            out.append(ANSI_RESET).append('\n');
        }
        return out.toString();
    }

    private static Modules encode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("text must not be empty");
        }
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)) {
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        try {
            return new Modules(Encoder.encode(text, ErrorCorrectionLevel.M, hints).getMatrix());
        } catch (WriterException e) {
            // the message of a WriterException never holds the text, but say it in our words
            throw new IllegalArgumentException("text of " + text.length() + " characters does not fit in a QR code");
        }
    }

    /** The symbol's modules without quiet zone. */
    private record Modules(ByteMatrix matrix) {

        int side() {
            return matrix.getWidth();
        }

        int sideWithQuietZone() {
            return side() + 2 * QUIET_ZONE;
        }

        boolean dark(int x, int y) {
            return matrix.get(x, y) == 1;
        }

        boolean darkWithQuietZone(int x, int y) {
            int mx = x - QUIET_ZONE;
            int my = y - QUIET_ZONE;
            return mx >= 0 && my >= 0 && mx < side() && my < side() && dark(mx, my);
        }
    }
}
