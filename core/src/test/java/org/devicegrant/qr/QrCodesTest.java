package org.devicegrant.qr;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.WriterException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class QrCodesTest {

    private static final String URI_COMPLETE = "https://id.example.com/device?user_code=WDJB-MJHT";
    private static final Pattern RUN = Pattern.compile("M(\\d+),(\\d+)h(\\d+)v1h-(\\d+)z");

    @Test
    @DisplayName("D17 png decodes back to verification_uri_complete")
    void pngWhenDecodedThenGivesTheText() throws Exception {
        // RFC 8628 §3.3.1: the device MAY show verification_uri_complete non-textually, e.g. as a QR code.
        byte[] png = QrCodes.png(URI_COMPLETE, 300);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(300);
        int[] pixels = image.getRGB(0, 0, 300, 300, null, 0, 300);
        assertThat(decode(300, 300, pixels)).isEqualTo(URI_COMPLETE);
    }

    @Test
    void pngWhenExactlyOnePixelPerModuleThenStillDecodes() throws Exception {
        int side = matrix(URI_COMPLETE).getWidth() + 2 * QrCodes.QUIET_ZONE;

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(URI_COMPLETE, side)));

        assertThat(decode(side, side, image.getRGB(0, 0, side, side, null, 0, side))).isEqualTo(URI_COMPLETE);
    }

    @Test
    void pngWhenSizeTooSmallThenRejectedNamingSizePxAndNotTheText() {
        int side = matrix(URI_COMPLETE).getWidth() + 2 * QrCodes.QUIET_ZONE;

        assertThatIllegalArgumentException().isThrownBy(() -> QrCodes.png(URI_COMPLETE, side - 1))
                .withMessageContaining("sizePx must be between " + side)
                .withMessageNotContaining("WDJB");
        assertThatIllegalArgumentException().isThrownBy(() -> QrCodes.png(URI_COMPLETE, QrCodes.MAX_SIZE_PX + 1))
                .withMessageContaining("sizePx");
    }

    @Test
    void svgWhenParsedThenWellFormedWithOneUnitPerModuleAndQuietZone() throws Exception {
        ByteMatrix matrix = matrix(URI_COMPLETE);
        int side = matrix.getWidth() + 2 * QrCodes.QUIET_ZONE;

        Document doc = parseXml(QrCodes.svg(URI_COMPLETE));

        Element svg = doc.getDocumentElement();
        assertThat(svg.getLocalName()).isEqualTo("svg");
        assertThat(svg.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getAttribute("viewBox")).isEqualTo("0 0 " + side + " " + side);
        boolean[][] grid = svgGrid(((Element) doc.getElementsByTagName("path").item(0)).getAttribute("d"), side);
        int darkInSvg = 0;
        int darkInMatrix = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                darkInSvg += grid[y][x] ? 1 : 0;
            }
        }
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                darkInMatrix += matrix.get(x, y) == 1 ? 1 : 0;
                assertThat(grid[y + QrCodes.QUIET_ZONE][x + QrCodes.QUIET_ZONE]).isEqualTo(matrix.get(x, y) == 1);
            }
        }
        assertThat(darkInSvg).isEqualTo(darkInMatrix).isPositive();
    }

    @Test
    void svgWhenRasterisedThenDecodesToTheText() throws Exception {
        int side = matrix(URI_COMPLETE).getWidth() + 2 * QrCodes.QUIET_ZONE;
        Document doc = parseXml(QrCodes.svg(URI_COMPLETE));

        boolean[][] grid = svgGrid(((Element) doc.getElementsByTagName("path").item(0)).getAttribute("d"), side);

        assertThat(decodeGrid(grid)).isEqualTo(URI_COMPLETE);
    }

    @Test
    void terminalWhenReadBackThenDecodesAndEveryLineForcesBlackOnWhite() throws Exception {
        int side = matrix(URI_COMPLETE).getWidth() + 2 * QrCodes.QUIET_ZONE;

        String text = QrCodes.terminal(URI_COMPLETE);

        String[] lines = text.split("\n");
        assertThat(lines).hasSize((side + 1) / 2);
        boolean[][] grid = new boolean[lines.length * 2][side];
        for (int row = 0; row < lines.length; row++) {
            // readable in a dark or a light terminal: colours are set on every line and reset at its end
            assertThat(lines[row]).startsWith("\u001b[30;107m").endsWith("\u001b[0m");
            String blocks = lines[row].replaceAll("\u001b\\[[0-9;]*m", "");
            assertThat(blocks).hasSize(side).matches("[ █▀▄]+");
            for (int x = 0; x < side; x++) {
                char c = blocks.charAt(x);
                grid[2 * row][x] = c == '█' || c == '▀';
                grid[2 * row + 1][x] = c == '█' || c == '▄';
            }
        }
        assertThat(grid[0]).doesNotContain(true);
        assertThat(decodeGrid(grid)).isEqualTo(URI_COMPLETE);
    }

    @Test
    void pngWhenTextIsNotLatin1ThenEncodedAsUtf8() throws Exception {
        String text = "https://id.example.com/gerät?user_code=WDJB-MJHT&n=日本";

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(text, 400)));

        assertThat(decode(400, 400, image.getRGB(0, 0, 400, 400, null, 0, 400))).isEqualTo(text);
    }

    @Test
    void encodeWhenTextEmptyOrNullOrTooLongThenRejectedWithoutRepeatingIt() {
        String tooLong = "https://id.example.com/device?user_code=" + "WDJBMJHT".repeat(1000);

        assertThatIllegalArgumentException().isThrownBy(() -> QrCodes.svg("")).withMessageContaining("empty");
        assertThatNullPointerException().isThrownBy(() -> QrCodes.terminal(null));
        assertThatIllegalArgumentException().isThrownBy(() -> QrCodes.png(tooLong, 1000))
                .withMessageContaining("does not fit")
                .withMessageNotContaining("WDJB");
    }

    private static ByteMatrix matrix(String text) {
        try {
            return Encoder.encode(text, ErrorCorrectionLevel.M).getMatrix();
        } catch (WriterException e) {
            throw new AssertionError(e);
        }
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static boolean[][] svgGrid(String path, int side) {
        boolean[][] grid = new boolean[side][side];
        Matcher m = RUN.matcher(path);
        int consumed = 0;
        while (m.find()) {
            assertThat(m.start()).isEqualTo(consumed);
            consumed = m.end();
            int x = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            int run = Integer.parseInt(m.group(3));
            assertThat(m.group(4)).isEqualTo(m.group(3));
            for (int i = 0; i < run; i++) {
                grid[y][x + i] = true;
            }
        }
        assertThat(consumed).isEqualTo(path.length());
        return grid;
    }

    /** Rasterises a module grid at 4 px per module and decodes it. */
    private static String decodeGrid(boolean[][] grid) throws NotFoundException {
        int scale = 4;
        int height = grid.length * scale;
        int width = grid[0].length * scale;
        int[] pixels = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = grid[y / scale][x / scale] ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        return decode(width, height, pixels);
    }

    private static String decode(int width, int height, int[] pixels) throws NotFoundException {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels)));
        return new MultiFormatReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }
}
