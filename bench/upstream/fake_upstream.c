/*
 * fake_upstream: a deliberately tiny, fast stand-in for the OpenAI and Anthropic APIs.
 *
 *   POST /v1/chat/completions   OpenAI chat.completion JSON, or an SSE stream when the body has "stream":true
 *   POST /v1/messages           Anthropic message JSON, or an SSE stream of named events
 *   POST /v1/responses          OpenAI Responses response JSON, or its SSE stream of typed, numbered events
 *   POST /v1beta/models/M:generateContent        Gemini GenerateContentResponse JSON
 *   POST /v1beta/models/M:streamGenerateContent  its SSE stream (alt=sse): complete responses, no terminator
 *   GET  /healthz               200 "ok"
 *
 * Non-stream answers are written at once. A stream is STREAM_EVENTS SSE events, the first at once and the
 * next ones every interval (default 64 events, 20 ms apart), in the exact shapes the official SDKs expect.
 * One epoll loop per thread, each with its own SO_REUSEPORT listening socket; stream pacing uses a min-heap
 * of due times and one timerfd per thread. HTTP/1.1 keep-alive; request bodies by Content-Length or chunked.
 *
 * usage: fake_upstream PORT [THREADS] [EVENTS] [INTERVAL_MS]   (EVENTS >= 9: a Responses stream needs 8 framing events)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 512
#define MAX_REQUEST_BYTES (8 * 1024 * 1024)
#define MODEL_MAX 128

enum dialect { OPENAI, ANTHROPIC, RESPONSES, GEMINI };

typedef struct buf {
    char *data;
    size_t len, cap, off; /* off: bytes already consumed/written from the front */
} buf;

typedef struct conn {
    int fd;
    buf in, out;
    int keep_alive, chunked_out, want_write, closing;
    /* stream state; heap_index < 0 when not streaming */
    int heap_index, events_sent, include_usage;
    enum dialect dialect;
    uint64_t next_due_ns;
    unsigned long id;
    char model[MODEL_MAX];
} conn;

typedef struct worker {
    int epfd, listen_fd, timer_fd;
    conn **heap;
    size_t heap_len, heap_cap;
    uint64_t armed_ns; /* what the timerfd is set to; 0 = disarmed */
    unsigned long next_id;
} worker;

static int port;
static int stream_events = 64;
static uint64_t interval_ns = 20ull * 1000 * 1000;

/* Responses streams: events 0-3 open the response, item and part, the last four close them; the rest are deltas.
 * The whole text (what output_text.done and response.completed repeat) depends only on stream_events, so it is
 * built once at start-up. */
#define RESPONSES_OPENING_EVENTS 4
#define RESPONSES_CLOSING_EVENTS 4
static char *responses_stream_text;
static int responses_deltas;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---------- buffers ---------- */

static void buf_reserve(buf *b, size_t extra) {
    if (b->off > 0 && b->off == b->len) b->off = b->len = 0;
    if (b->len + extra <= b->cap) return;
    if (b->off > 0) { /* compact first */
        memmove(b->data, b->data + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        if (b->len + extra <= b->cap) return;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data) { perror("realloc"); exit(1); }
    b->cap = cap;
}

static void buf_append(buf *b, const char *s, size_t n) {
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buf *b, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) return;
        if ((size_t)n < room) { b->len += (size_t)n; return; }
        buf_reserve(b, (size_t)n + 1);
    }
}

/* ---------- timer heap (per worker, keyed by next_due_ns) ---------- */

static void heap_swap(worker *w, size_t a, size_t b) {
    conn *t = w->heap[a];
    w->heap[a] = w->heap[b];
    w->heap[b] = t;
    w->heap[a]->heap_index = (int)a;
    w->heap[b]->heap_index = (int)b;
}

static void heap_up(worker *w, size_t i) {
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (w->heap[p]->next_due_ns <= w->heap[i]->next_due_ns) break;
        heap_swap(w, i, p);
        i = p;
    }
}

static void heap_down(worker *w, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < w->heap_len && w->heap[l]->next_due_ns < w->heap[m]->next_due_ns) m = l;
        if (r < w->heap_len && w->heap[r]->next_due_ns < w->heap[m]->next_due_ns) m = r;
        if (m == i) return;
        heap_swap(w, i, m);
        i = m;
    }
}

static void heap_push(worker *w, conn *c) {
    if (w->heap_len == w->heap_cap) {
        w->heap_cap = w->heap_cap ? w->heap_cap * 2 : 1024;
        w->heap = realloc(w->heap, w->heap_cap * sizeof(conn *));
        if (!w->heap) { perror("realloc"); exit(1); }
    }
    w->heap[w->heap_len] = c;
    c->heap_index = (int)w->heap_len;
    w->heap_len++;
    heap_up(w, w->heap_len - 1);
}

static void heap_remove(worker *w, conn *c) {
    size_t i = (size_t)c->heap_index;
    c->heap_index = -1;
    w->heap_len--;
    if (i == w->heap_len) return;
    w->heap[i] = w->heap[w->heap_len];
    w->heap[i]->heap_index = (int)i;
    heap_up(w, i);
    heap_down(w, (size_t)w->heap[i]->heap_index);
}

static void arm_timer(worker *w) {
    uint64_t due = w->heap_len > 0 ? w->heap[0]->next_due_ns : 0;
    if (due == w->armed_ns) return;
    struct itimerspec its = {0};
    its.it_value.tv_sec = (time_t)(due / 1000000000ull);
    its.it_value.tv_nsec = (long)(due % 1000000000ull);
    timerfd_settime(w->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
    w->armed_ns = due;
}

/* ---------- connection I/O ---------- */

static void conn_close(worker *w, conn *c) {
    if (c->heap_index >= 0) heap_remove(w, c);
    epoll_ctl(w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in.data);
    free(c->out.data);
    free(c);
}

static void set_want_write(worker *w, conn *c, int want) {
    if (c->want_write == want) return;
    c->want_write = want;
    struct epoll_event ev = {.events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what it can; returns -1 when the connection was closed. */
static int conn_flush(worker *w, conn *c) {
    while (c->out.off < c->out.len) {
        ssize_t n = write(c->fd, c->out.data + c->out.off, c->out.len - c->out.off);
        if (n > 0) { c->out.off += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { set_want_write(w, c, 1); return 0; }
        conn_close(w, c);
        return -1;
    }
    c->out.off = c->out.len = 0;
    set_want_write(w, c, 0);
    if (c->closing && c->heap_index < 0) { conn_close(w, c); return -1; }
    return 0;
}

/* ---------- response bodies ---------- */

static void write_response(conn *c, int status, const char *reason, const char *ctype, const char *body, size_t len) {
    buf_printf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n", status, reason,
               ctype, len, c->keep_alive ? "" : "Connection: close\r\n");
    buf_append(&c->out, body, len);
    if (!c->keep_alive) c->closing = 1;
}

static void write_json(conn *c, int status, const char *reason, const char *body) {
    write_response(c, status, reason, "application/json", body, strlen(body));
}

static void answer_nonstream(conn *c) {
    char body[1024];
    int n;
    if (c->dialect == OPENAI) {
        n = snprintf(body, sizeof body,
                     "{\"id\":\"chatcmpl-bench%lu\",\"object\":\"chat.completion\",\"created\":1700000000,"
                     "\"model\":\"%s\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                     "\"content\":\"Hello from the fake upstream.\"},\"finish_reason\":\"stop\"}],"
                     "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}",
                     c->id, c->model);
    } else if (c->dialect == GEMINI) {
        n = snprintf(body, sizeof body,
                     "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                     "\"Hello from the fake upstream.\"}]},\"finishReason\":\"STOP\",\"index\":0}],"
                     "\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":7,\"totalTokenCount\":19},"
                     "\"modelVersion\":\"%s\",\"responseId\":\"bench%lu\"}",
                     c->model, c->id);
    } else {
        n = snprintf(body, sizeof body,
                     "{\"id\":\"msg_bench%lu\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"%s\","
                     "\"content\":[{\"type\":\"text\",\"text\":\"Hello from the fake upstream.\"}],"
                     "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                     "\"usage\":{\"input_tokens\":12,\"output_tokens\":7}}",
                     c->id, c->model);
    }
    write_response(c, 200, "OK", "application/json", body, (size_t)n);
}

/* Appends one SSE frame, wrapped in an HTTP chunk when the response is chunked. */
static void sse_frame_n(conn *c, const char *event_name, const char *data, size_t data_len) {
    size_t name_len = event_name ? strlen(event_name) : 0;
    size_t n = (event_name ? 7 + name_len + 1 : 0) + 6 + data_len + 2; /* "event: X\n" "data: " data "\n\n" */
    if (c->chunked_out) buf_printf(&c->out, "%zx\r\n", n);
    if (event_name) {
        buf_append(&c->out, "event: ", 7);
        buf_append(&c->out, event_name, name_len);
        buf_append(&c->out, "\n", 1);
    }
    buf_append(&c->out, "data: ", 6);
    buf_append(&c->out, data, data_len);
    buf_append(&c->out, "\n\n", 2);
    if (c->chunked_out) buf_append(&c->out, "\r\n", 2);
}

static void sse_frame(conn *c, const char *event_name, const char *data) {
    sse_frame_n(c, event_name, data, strlen(data));
}

static void openai_chunk(conn *c, const char *delta, const char *finish) {
    char data[1024];
    snprintf(data, sizeof data,
             "{\"id\":\"chatcmpl-bench%lu\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
             "\"model\":\"%s\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]%s}",
             c->id, c->model, delta, finish, c->include_usage ? ",\"usage\":null" : "");
    sse_frame(c, NULL, data);
}

static void openai_event(conn *c, int i, int last) {
    char delta[128];
    if (i == 0) {
        openai_chunk(c, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
    } else if (!last) {
        snprintf(delta, sizeof delta, "{\"content\":\"tok%d \"}", i);
        openai_chunk(c, delta, "null");
    } else {
        openai_chunk(c, "{}", "\"stop\"");
        if (c->include_usage) {
            char data[512];
            snprintf(data, sizeof data,
                     "{\"id\":\"chatcmpl-bench%lu\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                     "\"model\":\"%s\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":%d,"
                     "\"total_tokens\":%d}}",
                     c->id, c->model, stream_events - 2, 12 + stream_events - 2);
            sse_frame(c, NULL, data);
        }
        sse_frame(c, NULL, "[DONE]");
    }
}

/* Anthropic: message_start, content_block_start, deltas, content_block_stop, message_delta, message_stop. */
static void anthropic_event(conn *c, int i, int last) {
    char data[1024];
    if (i == 0) {
        snprintf(data, sizeof data,
                 "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench%lu\",\"type\":\"message\","
                 "\"role\":\"assistant\",\"model\":\"%s\",\"content\":[],\"stop_reason\":null,"
                 "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}",
                 c->id, c->model);
        sse_frame(c, "message_start", data);
    } else if (i == 1) {
        sse_frame(c, "content_block_start",
                  "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    } else if (last) {
        sse_frame(c, "message_stop", "{\"type\":\"message_stop\"}");
    } else if (i == stream_events - 2) {
        snprintf(data, sizeof data,
                 "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                 "\"usage\":{\"output_tokens\":%d}}",
                 stream_events - 5);
        sse_frame(c, "message_delta", data);
    } else if (i == stream_events - 3) {
        sse_frame(c, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    } else {
        snprintf(data, sizeof data,
                 "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"tok%d \"}}",
                 i);
        sse_frame(c, "content_block_delta", data);
    }
}

/* Gemini: every event a complete GenerateContentResponse with running usage; the last one finishes (STOP). */
static void gemini_event(conn *c, int i, int last) {
    char data[1024];
    char text[32];
    snprintf(text, sizeof text, last ? "" : "tok%d ", i);
    snprintf(data, sizeof data,
             "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"%s\"}]},%s"
             "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":%d,"
             "\"totalTokenCount\":%d},\"modelVersion\":\"%s\",\"responseId\":\"bench%lu\"}",
             text, last ? "\"finishReason\":\"STOP\"," : "", i + 1, 12 + i + 1, c->model, c->id);
    sse_frame(c, NULL, data);
}

/* OpenAI Responses. The large payloads (the whole text, the whole response) are formatted into per-thread
 * scratch buffers that grow to the largest event once and are reused, so a stream allocates nothing. */
static __thread buf scratch_event, scratch_item;

static void scratch_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void scratch_printf(buf *b, const char *fmt, ...) {
    va_list ap;
    b->len = b->off = 0;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = vsnprintf(b->data, room, fmt, ap);
        va_end(ap);
        if (n < 0) { b->len = 0; return; }
        if ((size_t)n < room) { b->len = (size_t)n; return; }
        buf_reserve(b, (size_t)n + 1);
    }
}

/* The response object, with its status, its output array and its usage (null while in progress). */
#define RESPONSE_FMT                                                                                             \
    "{\"id\":\"resp_bench%lu\",\"object\":\"response\",\"created_at\":1700000000,\"status\":\"%s\","             \
    "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,"                 \
    "\"model\":\"%s\",\"output\":[%s],\"parallel_tool_calls\":true,\"previous_response_id\":null,"                \
    "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":false,\"temperature\":1.0,"                       \
    "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,"              \
    "\"truncation\":\"disabled\",\"usage\":%s,\"metadata\":{}}"

/* The one output item: an assistant message with one output_text part. */
static const char *message_item(conn *c, const char *text) {
    scratch_printf(&scratch_item,
                   "{\"id\":\"msg_bench%lu\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
                   "\"content\":[{\"type\":\"output_text\",\"text\":\"%s\",\"annotations\":[]}]}",
                   c->id, text);
    return scratch_item.data;
}

static void format_usage(char *usage, size_t size, int output_tokens) {
    snprintf(usage, size,
             "{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":%d,"
             "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":%d}",
             output_tokens, 12 + output_tokens);
}

static void answer_responses_nonstream(conn *c) {
    char usage[256];
    format_usage(usage, sizeof usage, 7);
    scratch_printf(&scratch_event, RESPONSE_FMT, c->id, "completed", c->model,
                   message_item(c, "Hello from the fake upstream."), usage);
    write_response(c, 200, "OK", "application/json", scratch_event.data, scratch_event.len);
}

/* Event i: created, in_progress, output_item.added, content_part.added, output_text.delta..., then
 * output_text.done, content_part.done, output_item.done, response.completed. sequence_number is i. */
static void responses_event(conn *c, int i) {
    buf *e = &scratch_event;
    char usage[256];
    int closing = i - (stream_events - RESPONSES_CLOSING_EVENTS); /* 0..3 in the closing events */
    const char *type;
    if (i == 0 || i == 1) {
        type = i == 0 ? "response.created" : "response.in_progress";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"response\":" RESPONSE_FMT "}", type, i, c->id,
                       "in_progress", c->model, "", "null");
    } else if (i == 2) {
        type = "response.output_item.added";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"output_index\":0,\"item\":{\"id\":\"msg_bench%lu\","
                          "\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}",
                       type, i, c->id);
    } else if (i == 3) {
        type = "response.content_part.added";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"item_id\":\"msg_bench%lu\",\"output_index\":0,"
                          "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}",
                       type, i, c->id);
    } else if (closing < 0) {
        type = "response.output_text.delta";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"item_id\":\"msg_bench%lu\",\"output_index\":0,"
                          "\"content_index\":0,\"delta\":\"tok%d \",\"logprobs\":[]}",
                       type, i, c->id, i);
    } else if (closing == 0) {
        type = "response.output_text.done";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"item_id\":\"msg_bench%lu\",\"output_index\":0,"
                          "\"content_index\":0,\"text\":\"%s\",\"logprobs\":[]}",
                       type, i, c->id, responses_stream_text);
    } else if (closing == 1) {
        type = "response.content_part.done";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"item_id\":\"msg_bench%lu\",\"output_index\":0,"
                          "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"%s\",\"annotations\":[]}}",
                       type, i, c->id, responses_stream_text);
    } else if (closing == 2) {
        type = "response.output_item.done";
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"output_index\":0,\"item\":%s}", type, i,
                       message_item(c, responses_stream_text));
    } else {
        type = "response.completed";
        format_usage(usage, sizeof usage, responses_deltas);
        scratch_printf(e, "{\"type\":\"%s\",\"sequence_number\":%d,\"response\":" RESPONSE_FMT "}", type, i, c->id,
                       "completed", c->model, message_item(c, responses_stream_text), usage);
    }
    sse_frame_n(c, type, e->data, e->len);
}

/* "tok4 tok5 … ": the concatenated deltas of a Responses stream of stream_events events. */
static void build_responses_stream_text(void) {
    responses_deltas = stream_events - RESPONSES_OPENING_EVENTS - RESPONSES_CLOSING_EVENTS;
    size_t size = (size_t)responses_deltas * 16 + 1, len = 0;
    responses_stream_text = malloc(size);
    if (!responses_stream_text) { perror("malloc"); exit(1); }
    responses_stream_text[0] = 0;
    for (int i = RESPONSES_OPENING_EVENTS; i < RESPONSES_OPENING_EVENTS + responses_deltas; i++) {
        len += (size_t)snprintf(responses_stream_text + len, size - len, "tok%d ", i);
    }
}

/* Emits the stream's next event; returns 1 when that was the last one. */
static int stream_next(conn *c) {
    int i = c->events_sent++;
    int last = c->events_sent >= stream_events;
    if (c->dialect == OPENAI) openai_event(c, i, last);
    else if (c->dialect == ANTHROPIC) anthropic_event(c, i, last);
    else if (c->dialect == GEMINI) gemini_event(c, i, last);
    else responses_event(c, i);
    if (last && c->chunked_out) buf_append(&c->out, "0\r\n\r\n", 5);
    return last;
}

static void start_stream(worker *w, conn *c) {
    c->chunked_out = c->keep_alive; /* HTTP/1.0 peers get a close-delimited body */
    buf_printf(&c->out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n%s\r\n",
               c->chunked_out ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n");
    c->events_sent = 0;
    stream_next(c);
    c->next_due_ns = now_ns() + interval_ns;
    heap_push(w, c);
}

/* ---------- request parsing ---------- */

static const char *find_header(const char *head, size_t head_len, const char *name, size_t *value_len) {
    size_t name_len = strlen(name);
    const char *p = memchr(head, '\n', head_len);
    const char *end = head + head_len;
    while (p && p + 1 < end) {
        p++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if ((size_t)(eol - p) > name_len && p[name_len] == ':' && strncasecmp(p, name, name_len) == 0) {
            const char *v = p + name_len + 1;
            while (v < eol && (*v == ' ' || *v == '\t')) v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ')) ve--;
            *value_len = (size_t)(ve - v);
            return v;
        }
        p = eol;
    }
    return NULL;
}

/* Decodes a chunked body in place. Returns bytes consumed from src, 0 if incomplete, -1 if malformed. */
static long dechunk(char *src, size_t avail, size_t *body_len) {
    size_t pos = 0, out = 0;
    for (;;) {
        char *eol = memmem(src + pos, avail - pos, "\r\n", 2);
        if (!eol) return 0;
        char *endp;
        unsigned long size = strtoul(src + pos, &endp, 16);
        if (endp == src + pos) return -1;
        pos = (size_t)(eol - src) + 2;
        if (size == 0) {
            char *trailer_end = memmem(src + pos, avail - pos, "\r\n", 2);
            while (trailer_end && trailer_end != src + pos) { /* skip trailer lines */
                pos = (size_t)(trailer_end - src) + 2;
                trailer_end = memmem(src + pos, avail - pos, "\r\n", 2);
            }
            if (!trailer_end) return 0;
            *body_len = out;
            return (long)(pos + 2);
        }
        if (avail - pos < size + 2) return 0;
        memmove(src + out, src + pos, size);
        out += size;
        pos += size + 2;
    }
}

/* True when the JSON body has "key": true (whitespace tolerant, first occurrence). */
static int json_flag(const char *body, size_t len, const char *quoted_key) {
    const char *p = memmem(body, len, quoted_key, strlen(quoted_key));
    if (!p) return 0;
    p += strlen(quoted_key);
    const char *end = body + len;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    if (p >= end || *p != ':') return 0;
    p++;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return end - p >= 4 && memcmp(p, "true", 4) == 0;
}

static void json_model(const char *body, size_t len, char *model) {
    strcpy(model, "bench-model");
    const char *p = memmem(body, len, "\"model\"", 7);
    if (!p) return;
    const char *end = body + len;
    p += 7;
    while (p < end && *p != '"') {
        if (*p != ' ' && *p != ':' && *p != '\t' && *p != '\n' && *p != '\r') return;
        p++;
    }
    if (p >= end) return;
    p++;
    size_t n = 0;
    while (p < end && *p != '"' && *p != '\\' && n + 1 < MODEL_MAX) model[n++] = *p++;
    model[n] = 0;
}

/* Handles one complete request at the front of c->in. Returns 0 when more bytes are needed, 1 when a request
 * was consumed, -1 when the connection must close. */
static int handle_request(worker *w, conn *c) {
    char *head = c->in.data + c->in.off;
    size_t avail = c->in.len - c->in.off;
    char *head_end = memmem(head, avail, "\r\n\r\n", 4);
    if (!head_end) return avail > 65536 ? -1 : 0;
    size_t head_len = (size_t)(head_end - head) + 4;

    size_t vlen;
    const char *v;
    int http10 = memmem(head, head_len < 200 ? head_len : 200, "HTTP/1.0", 8) != NULL;
    c->keep_alive = !http10;
    if ((v = find_header(head, head_len, "connection", &vlen))) {
        if (vlen == 5 && strncasecmp(v, "close", 5) == 0) c->keep_alive = 0;
        if (vlen == 10 && strncasecmp(v, "keep-alive", 10) == 0) c->keep_alive = 1;
    }

    char *body = head + head_len;
    size_t body_len = 0, consumed;
    if ((v = find_header(head, head_len, "transfer-encoding", &vlen)) && vlen >= 7 &&
        strncasecmp(v + vlen - 7, "chunked", 7) == 0) {
        long r = dechunk(body, avail - head_len, &body_len);
        if (r < 0) return -1;
        if (r == 0) return avail - head_len > MAX_REQUEST_BYTES ? -1 : 0;
        consumed = head_len + (size_t)r;
    } else {
        if ((v = find_header(head, head_len, "content-length", &vlen))) body_len = strtoul(v, NULL, 10);
        if (body_len > MAX_REQUEST_BYTES) return -1;
        if (avail - head_len < body_len) return 0;
        consumed = head_len + body_len;
    }

    int is_post = strncmp(head, "POST ", 5) == 0;
    int is_get = strncmp(head, "GET ", 4) == 0;
    const char *path = head + (is_post ? 5 : 4);
    c->id = ++w->next_id;
    if (is_post && strncmp(path, "/v1/chat/completions", 20) == 0 && (path[20] == ' ' || path[20] == '?')) {
        c->dialect = OPENAI;
    } else if (is_post && strncmp(path, "/v1/messages", 12) == 0 && (path[12] == ' ' || path[12] == '?')) {
        c->dialect = ANTHROPIC;
    } else if (is_post && strncmp(path, "/v1/responses", 13) == 0 && (path[13] == ' ' || path[13] == '?')) {
        c->dialect = RESPONSES;
    } else if (is_post && strncmp(path, "/v1beta/models/", 15) == 0) {
        /* The model and the action are in the path: /v1beta/models/M:generateContent or :streamGenerateContent. */
        const char *colon = memchr(path + 15, ':', 200);
        const char *space = memchr(path, ' ', 300);
        if (!colon || !space || colon > space) {
            write_json(c, 404, "Not Found", "{\"error\":{\"code\":404,\"message\":\"no such route\",\"status\":\"NOT_FOUND\"}}");
            c->in.off += consumed;
            return 1;
        }
        size_t model_len = (size_t)(colon - (path + 15));
        if (model_len >= MODEL_MAX) model_len = MODEL_MAX - 1;
        memcpy(c->model, path + 15, model_len);
        c->model[model_len] = 0;
        c->dialect = GEMINI;
        c->include_usage = 0;
        c->in.off += consumed;
        if (strncmp(colon, ":streamGenerateContent", 22) == 0) start_stream(w, c);
        else answer_nonstream(c);
        return 1;
    } else if (is_get && strncmp(path, "/healthz ", 9) == 0) {
        write_response(c, 200, "OK", "text/plain", "ok", 2);
        c->in.off += consumed;
        return 1;
    } else {
        write_json(c, 404, "Not Found", "{\"error\":{\"message\":\"no such route\",\"type\":\"not_found\"}}");
        c->in.off += consumed;
        return 1;
    }
    json_model(body, body_len, c->model);
    c->include_usage = json_flag(body, body_len, "\"include_usage\"");
    int stream = json_flag(body, body_len, "\"stream\"");
    c->in.off += consumed;
    if (stream) start_stream(w, c);
    else if (c->dialect == RESPONSES) answer_responses_nonstream(c);
    else answer_nonstream(c);
    return 1;
}

/* Answers every complete request buffered (no new request starts while a stream is running). */
static void process_input(worker *w, conn *c) {
    while (c->heap_index < 0 && !c->closing) {
        int r = handle_request(w, c);
        if (r < 0) { conn_close(w, c); return; }
        if (r == 0) break;
    }
    conn_flush(w, c);
}

static void on_readable(worker *w, conn *c) {
    for (;;) {
        buf_reserve(&c->in, 16384);
        ssize_t n = read(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len);
        if (n > 0) { c->in.len += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        conn_close(w, c); /* EOF or error */
        return;
    }
    process_input(w, c);
}

static void on_timer(worker *w) {
    uint64_t expirations;
    if (read(w->timer_fd, &expirations, sizeof expirations) < 0 && errno != EAGAIN) perror("timerfd read");
    w->armed_ns = 0; /* a fired absolute timer is disarmed */
    uint64_t now = now_ns();
    while (w->heap_len > 0 && w->heap[0]->next_due_ns <= now) {
        conn *c = w->heap[0];
        if (stream_next(c)) {
            heap_remove(w, c);
            if (!c->chunked_out) c->closing = 1;
            if (conn_flush(w, c) == 0 && !c->closing) process_input(w, c);
        } else {
            c->next_due_ns += interval_ns;
            heap_down(w, 0);
            conn_flush(w, c);
        }
    }
    arm_timer(w);
}

static void on_accept(worker *w) {
    for (;;) {
        int fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) perror("accept4");
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn *c = calloc(1, sizeof *c);
        if (!c) { close(fd); return; }
        c->fd = fd;
        c->heap_index = -1;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev);
    }
}

static int open_listener(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 4096) < 0) {
        perror("bind/listen");
        exit(1);
    }
    return fd;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    struct epoll_event events[MAX_EVENTS];
    /* the listener and the timer are told apart from connections by these two sentinel pointers */
    static char listener_tag, timer_tag;
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &listener_tag};
    struct epoll_event tev = {.events = EPOLLIN, .data.ptr = &timer_tag};
    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->listen_fd, &lev);
    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->timer_fd, &tev);
    for (;;) {
        int n = epoll_wait(w->epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            exit(1);
        }
        int timer_fired = 0;
        for (int i = 0; i < n; i++) {
            void *p = events[i].data.ptr;
            if (p == &listener_tag) { on_accept(w); continue; }
            if (p == &timer_tag) { timer_fired = 1; continue; }
            conn *c = p;
            if (events[i].events & (EPOLLERR | EPOLLHUP)) { conn_close(w, c); continue; }
            if (events[i].events & EPOLLOUT) {
                if (conn_flush(w, c) < 0) continue;
                if (!c->want_write && c->heap_index < 0) process_input(w, c);
                continue; /* a closed conn must not be touched again in this batch */
            }
            if (events[i].events & EPOLLIN) on_readable(w, c);
        }
        /* timers last: connections closed above are already out of the heap */
        if (timer_fired) on_timer(w);
        else if (w->heap_len > 0 && w->heap[0]->next_due_ns <= now_ns()) on_timer(w);
        else arm_timer(w);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [THREADS] [EVENTS] [INTERVAL_MS]\n", argv[0]);
        return 2;
    }
    port = atoi(argv[1]);
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    if (argc > 3) stream_events = atoi(argv[3]);
    if (argc > 4) interval_ns = (uint64_t)atoi(argv[4]) * 1000000ull;
    if (threads < 1 || stream_events < RESPONSES_OPENING_EVENTS + RESPONSES_CLOSING_EVENTS + 1 || port <= 0) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    build_responses_stream_text();
    signal(SIGPIPE, SIG_IGN);
    pthread_t tids[64];
    if (threads > 64) threads = 64;
    for (int i = 0; i < threads; i++) {
        worker *w = calloc(1, sizeof *w);
        w->epfd = epoll_create1(EPOLL_CLOEXEC);
        w->listen_fd = open_listener();
        w->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        pthread_create(&tids[i], NULL, worker_main, w);
    }
    fprintf(stderr, "fake_upstream listening on 127.0.0.1:%d (%d threads, %d events every %llu ms)\n", port,
            threads, stream_events, (unsigned long long)(interval_ns / 1000000ull));
    for (int i = 0; i < threads; i++) pthread_join(tids[i], NULL);
    return 0;
}
