package io.caravan.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.dialect.AnswerShape.Field;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** {@link AnswerShape#read}: the shape check and the fields it keeps, in one pass. */
class AnswerShapeReadTest {

    private static final AnswerShape SHAPE = AnswerShape.of("a test answer", Field.array("choices")).keeping("usage");

    private static ObjectNode read(String json) {
        return SHAPE.read(Buffer.buffer(json));
    }

    @Test
    void keepsOnlyTheNamedTopLevelFieldWhereverItStands() {
        ObjectNode first = read("{\"usage\":{\"n\":1,\"deep\":{\"usage\":2}},\"choices\":[{\"usage\":3}],\"x\":{}}");
        assertEquals("{\"usage\":{\"n\":1,\"deep\":{\"usage\":2}}}", first.toString());
        ObjectNode last = read("{\"choices\":[],\"x\":[1,{\"usage\":4}],\"usage\":{\"n\":5}}");
        assertEquals("{\"usage\":{\"n\":5}}", last.toString());
    }

    @Test
    void aKeptScalarOrNullIsKeptAsItIsAndTheRestIsStillChecked() {
        assertTrue(read("{\"usage\":null,\"choices\":[]}").get("usage").isNull());
        assertEquals(7, read("{\"usage\":7,\"choices\":[]}").get("usage").asInt());
        assertNull(read("{\"usage\":{\"n\":1},\"choices\":{}}"), "choices must be an array");
        assertNull(read("{\"usage\":{\"n\":1},\"choices\":[]} trailing"), "one JSON document and nothing else");
        assertNull(read("{\"usage\":{\"n\":1"), "truncated inside the kept field");
    }

    @Test
    void anAnswerWithoutTheFieldIsReadAsAnEmptyObjectAndAShapeKeepingNothingKeepsNothing() {
        assertEquals(0, read("{\"choices\":[]}").size());
        AnswerShape plain = AnswerShape.of("a test answer", Field.array("choices"));
        assertEquals(0, plain.read(Buffer.buffer("{\"usage\":{},\"choices\":[]}")).size());
        assertTrue(plain.matches(Buffer.buffer("{\"usage\":{},\"choices\":[]}")));
    }
}
