package io.caravan.testing;

import java.util.Optional;

/** Rejects requests the real provider would reject, with the provider's own status and message. */
interface RequestValidator {

    /** The first problem the provider would report for this request to this endpoint, if any. */
    Optional<Rejection> validate(Endpoint endpoint, RecordedRequest request);
}
