// Decodes every file of a folder with Java's own decoder for a charset, the way a crawler
// written in Java does it (`new String(bytes, charset)`: malformed input is replaced, never
// an error), and writes the text out in UTF-8, or in OUT_CHARSET with Java's encoder
// (`String.getBytes(charset)`: an unmappable character becomes `?`). Deterministic. Used by
// scripts/damage_pages.py:
//   java scripts/DecodeAs.java CHARSET IN_DIR OUT_DIR [OUT_CHARSET]
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

public class DecodeAs {
    public static void main(String[] args) throws Exception {
        Charset charset = Charset.forName(args[0]);
        Path in = Path.of(args[1]);
        Path out = Path.of(args[2]);
        Charset outCharset = args.length > 3 ? Charset.forName(args[3]) : StandardCharsets.UTF_8;
        Files.createDirectories(out);
        try (Stream<Path> files = Files.list(in)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String text = new String(Files.readAllBytes(file), charset);
                Files.write(out.resolve(file.getFileName()), text.getBytes(outCharset));
            }
        }
    }
}
