package continuo.tempo;

/**
 * Tempo and beat position from an audio host's transport (for example JACK transport's
 * bar-beat-tick position), where a backend offers one. A backend implements it over its own
 * transport query; the tempo selection only asks whether it is {@link #available}.
 *
 * <p>Called on the thread that owns the tempo selection; implementations must answer without
 * allocating or blocking.
 */
public interface HostTime extends TempoEstimate {}
