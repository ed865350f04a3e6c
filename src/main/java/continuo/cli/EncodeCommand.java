package continuo.cli;

import continuo.encoding.EventEncoder;
import continuo.encoding.MidiFiles;
import continuo.model.ModelFile;
import continuo.model.ModelFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code continuo encode}: prints the token ids of a MIDI file in a model's encoding. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {"Prints the event tokens of a MIDI file, or writes a corpus as token shards.",
        "With FILE.mid: the tokens comma separated, on one line. With --shards OUT --corpus"
            + " DIR...: the whole corpus once as token shards for train --shards and"
            + " scripts/train_torch.py."})
final class EncodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;


  @Option(names = "--model", paramLabel = "M.cmodel",
      description = "The model whose encoding to use.")
  Path model;

  @Parameters(paramLabel = "FILE.mid", arity = "0..1", description = "A Standard MIDI File.")
  Path file;

  @Option(names = "--shards", paramLabel = "OUT",
      description = "Write token shards and manifest.json of --corpus into this directory.")
  Path shards;

  @Option(names = "--corpus", arity = "1..*", paramLabel = "DIR",
      description = "With --shards: what train --corpus takes (MIDI directories or files, chorale"
          + " .json).")
  List<Path> corpus;

  @Option(names = "--valid-fraction", defaultValue = "0.1", paramLabel = "F",
      description = "With --shards: share of files held out for validation, as train's"
          + " (default ${DEFAULT-VALUE}).")
  double validFraction;

  @Mixin TempoNormalisation tempo;

  @Override
  public Integer call() throws Exception {
    if (shards != null || corpus != null) {
      return ShardsEncoding.run(shards, corpus, file, model, validFraction, tempo,
          spec.commandLine().getOut());
    }
    if (tempo.normalise || tempo.referenceBpm != null) {
      throw new UserError("--tempo-normalise and --reference-bpm go with --shards OUT --corpus DIR...");
    }
    if (model == null || file == null) {
      throw new UserError("give --model M.cmodel and a FILE.mid, or --shards OUT --corpus DIR...");
    }
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
