package io.caravan.relay;

/**
 * Whether a caller left, and the one listener ({@link CallerChannel#onGone}) that hears of it: at once when it had
 * left already, else the moment it leaves. Shared by the channels whose caller can leave (a socket, a route).
 */
public final class CallerDeparture {

    private volatile boolean gone;
    private Runnable listener;

    public boolean gone() {
        return gone;
    }

    public void onGone(Runnable newListener) {
        boolean already;
        synchronized (this) {
            listener = newListener;
            already = gone;
        }
        if (already) {
            newListener.run();
        }
    }

    /** The caller left: the listener hears it once, however often this is called. */
    public void leave() {
        Runnable heard;
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
            heard = listener;
        }
        if (heard != null) {
            heard.run();
        }
    }
}
