// Prints how Java's decoder for CHARSET treats every byte pair, in the format of
// scripts/gen_decoder_tables.py (which runs this): one line per first byte 0x80..0xFF, one
// character per second byte 0x00..0xFF, for the bytes `first second Z Z` decoded with
// `new String(bytes, charset)`:
//   `.` one character, then ZZ   `1` U+FFFD, then the second byte decoded again
//   `2` U+FFFD for both bytes    `o` anything else (e.g. `€` then the second byte)
//   java scripts/DecoderTable.java CHARSET
// With `--private-use`, prints instead every pair the decoder maps to a private-use code
// point, as `LLTT XXXX` (hex).
import java.nio.charset.Charset;

public class DecoderTable {
    public static void main(String[] args) {
        Charset charset = Charset.forName(args[0]);
        if (args.length > 1 && args[1].equals("--private-use")) {
            for (int first = 0x80; first <= 0xFF; first++) {
                for (int second = 0; second <= 0xFF; second++) {
                    String s = new String(new byte[] {(byte) first, (byte) second}, charset);
                    if (s.length() == 1 && s.charAt(0) >= 0xE000 && s.charAt(0) <= 0xF8FF) {
                        System.out.printf("%02X%02X %04X%n", first, second, (int) s.charAt(0));
                    }
                }
            }
            return;
        }
        StringBuilder out = new StringBuilder();
        for (int first = 0x80; first <= 0xFF; first++) {
            for (int second = 0; second <= 0xFF; second++) {
                byte[] pair = {(byte) first, (byte) second, 'Z', 'Z'};
                byte[] alone = {(byte) second, 'Z', 'Z'};
                out.append(classify(new String(pair, charset), new String(alone, charset)));
            }
            out.append('\n');
        }
        System.out.print(out);
    }

    /** `pair`: how `first second Z Z` decoded; `second`: how `second Z Z` decoded alone. */
    static char classify(String pair, String second) {
        if (pair.equals("\uFFFD" + second)) {
            return '1';
        }
        if (pair.equals("\uFFFDZZ")) {
            return '2';
        }
        String head = pair.endsWith("ZZ") ? pair.substring(0, pair.length() - 2) : null;
        if (head != null && !head.startsWith("\uFFFD") && head.codePointCount(0, head.length()) == 1) {
            return '.';
        }
        return 'o';
    }
}
