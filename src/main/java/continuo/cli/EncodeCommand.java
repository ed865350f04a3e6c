package continuo.cli;

import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code continuo encode}: prints the token ids of a MIDI file in a model's encoding. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = "Print the event tokens of a MIDI file, comma separated, on one line.")
final class EncodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;


  @Option(names = "--model", required = true, paramLabel = "M.cmodel",
      description = "The model whose encoding to use.")
  Path model;

  @Parameters(paramLabel = "FILE.mid", description = "A Standard MIDI File.")
  Path file;

  @Override
  public Integer call() throws Exception {
    try {
      // The model only fixes the encoding; reading its config refuses any but 'performance'.
      ModelFile.readConfig(model);
    } catch (ModelFormatException e) {
      throw new UserError(e.getMessage(), e);
    }
    int[] tokens = EventEncoder.encode(MidiFiles.read(file));
    StringBuilder line = new StringBuilder(tokens.length * 4);
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(tokens[i]);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    out.flush();
    return 0;
  }
}
