package io.caravan.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Carries out a {@link ResponsePlan} on a Vert.x response: delays and pacing with event-loop timers, each stream
 * part written (and so flushed) on its own, and the plan's ending. Reports to the journal when the caller's
 * connection closes before the response has ended, unless the fake closed it itself.
 */
final class ResponseWriter {

    private final Vertx vertx;
    private final RequestJournal journal;
    private final BooleanSupplier shuttingDown;

    ResponseWriter(Vertx vertx, RequestJournal journal, BooleanSupplier shuttingDown) {
        this.vertx = vertx;
        this.journal = journal;
        this.shuttingDown = shuttingDown;
    }

    void write(HttpServerRequest request, RecordedRequest recorded, ResponsePlan plan) {
        new Transmission(request, recorded, plan).start();
    }

    /** The state of one response while it is being written. Used only on the connection's event loop. */
    private final class Transmission {
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final RecordedRequest recorded;
        private final ResponsePlan plan;
        private int nextPart;
        private long timer = -1;
        private boolean connectionClosed;
        private boolean closedByUs;

        Transmission(HttpServerRequest request, RecordedRequest recorded, ResponsePlan plan) {
            this.request = request;
            this.response = request.response();
            this.recorded = recorded;
            this.plan = plan;
        }

        void start() {
            response.exceptionHandler(error -> { });
            response.closeHandler(ignored -> onConnectionClosed());
            after(plan.delay(), this::sendHead);
        }

        private void onConnectionClosed() {
            connectionClosed = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (!response.ended() && !closedByUs && !shuttingDown.getAsBoolean()) {
                journal.recordAbort(recorded, Instant.now());
            }
        }

        private void sendHead() {
            if (connectionClosed || plan.ending() == ResponsePlan.Ending.NEVER_ANSWER) {
                return;
            }
            response.setStatusCode(plan.status());
            plan.headers().forEach(response::putHeader);
            if (!plan.streaming()) {
                response.end(plan.parts().get(0));
                return;
            }
            response.setChunked(true);
            if (plan.parts().isEmpty()) {
                response.writeHead().onComplete(written -> finish());
                return;
            }
            sendNextPart();
        }

        private void sendNextPart() {
            if (connectionClosed) {
                return;
            }
            String part = plan.parts().get(nextPart++);
            boolean last = nextPart == plan.parts().size();
            if (last && plan.ending() == ResponsePlan.Ending.END) {
                response.end(part);
                return;
            }
            Future<Void> written = response.write(part);
            if (last) {
                written.onComplete(done -> after(plan.pace(), this::finish));
            } else {
                after(plan.pace(), this::sendNextPart);
            }
        }

        /** What happens once every part has been written. */
        private void finish() {
            if (connectionClosed) {
                return;
            }
            if (plan.ending() == ResponsePlan.Ending.END) {
                response.end();
            } else if (plan.ending() == ResponsePlan.Ending.DROP) {
                closedByUs = true;
                request.connection().close();
            }
        }

        private void after(Duration wait, Runnable action) {
            if (wait.isZero()) {
                action.run();
            } else {
                timer = vertx.setTimer(wait.toMillis(), id -> {
                    timer = -1;
                    action.run();
                });
            }
        }
    }
}
