package continuo.train;

/** One piece of music as event tokens, named by where it came from (a file, or a JSON split). */
public record Piece(String name, int[] tokens) {}
