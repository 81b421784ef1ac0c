package io.caravan.upstream;

/** The caller closed its connection; the upstream call was abandoned and nothing more is sent. */
public class CallerGoneException extends Exception {

    public CallerGoneException() {
        super("the caller closed the connection", null, false, false);
    }
}
