// Caravan's dashboard: reads the admin API with the admin key this tab was given, and refreshes by itself.
// The key lives in sessionStorage (this tab, until it closes) and goes out only in the Authorization header.
'use strict';

(() => {
    const KEY_STORAGE = 'caravan.admin-key';
    const CREDENTIALS_EVERY_MS = 2000;
    const USAGE_EVERY_MS = 10000;
    const TICK_MS = 1000;
    const MINUTE = 60 * 1000;
    const HOUR = 60 * MINUTE;
    const DAY = 24 * HOUR;
    /** Each period: the usage API's time bucket, its length and how many make the period (ending with the current one). */
    const PERIODS = {
        hour: {bucket: 'minute', step: MINUTE, count: 60, label: t => isoOf(t).slice(11, 16)},
        day: {bucket: 'hour', step: HOUR, count: 24, label: t => isoOf(t).slice(11, 16)},
        month: {bucket: 'day', step: DAY, count: 30, label: t => isoOf(t).slice(5, 10)},
    };
    const PALETTE = ['#1f5fbf', '#d9730d', '#1d7a3a', '#b3261e', '#6b3fa0', '#0f7c86', '#a0527a', '#5b6470',
        '#8a7a00', '#2e4a7a'];
    const numbers = new Intl.NumberFormat('en');

    const $ = id => document.getElementById(id);
    const state = {
        timers: [],
        period: 'hour',
        /** server_time minus this browser's clock, from the last credentials answer: countdowns use the server's. */
        clockOffsetMs: 0,
        rows: new Map(),
        charts: {},
    };

    /** A call the admin API refused for the key: the login is back. */
    class SignedOut extends Error {
    }

    class ApiError extends Error {
        constructor(status, message) {
            super(message);
            this.status = status;
        }
    }

    function adminKey() {
        return sessionStorage.getItem(KEY_STORAGE);
    }

    async function api(path, method = 'GET') {
        const key = adminKey();
        if (!key) {
            throw new SignedOut();
        }
        const response = await fetch(path, {
            method,
            headers: {'Authorization': 'Bearer ' + key, 'Accept': 'application/json'},
            cache: 'no-store',
            credentials: 'omit',
        });
        if (response.status === 401) {
            signOut('That admin key was refused.');
            throw new SignedOut();
        }
        let body = null;
        try {
            body = await response.json();
        } catch (notJson) {
            body = null;
        }
        if (!response.ok) {
            const message = body && body.error && body.error.message ? body.error.message : response.statusText;
            throw new ApiError(response.status, method + ' ' + path.split('?')[0] + ': ' + response.status + ' '
                + message);
        }
        return body;
    }

    function isoOf(millis) {
        return new Date(millis).toISOString();
    }

    function serverNow() {
        return Date.now() + state.clockOffsetMs;
    }

    function timeOfDay(iso) {
        return iso ? iso.slice(11, 19) + ' UTC' : '';
    }

    function element(tag, attributes = {}, text) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes)) {
            node.setAttribute(name, value);
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function report(id, error) {
        if (error instanceof SignedOut) {
            return;
        }
        $(id).textContent = error ? error.message : '';
    }

    /** Runs task now and then every everyMs after it finished (never two at once), until sign-out. */
    function every(everyMs, task) {
        let stopped = false;
        let timer = null;
        const run = async () => {
            try {
                await task();
            } finally {
                if (!stopped) {
                    timer = setTimeout(run, everyMs);
                }
            }
        };
        state.timers.push(() => {
            stopped = true;
            clearTimeout(timer);
        });
        run();
    }

    // ---- sign-in ----

    function showLogin(message) {
        $('dashboard').hidden = true;
        $('logout').hidden = true;
        $('login').hidden = false;
        $('login-error').textContent = message || '';
        $('connection').textContent = '';
        $('admin-key').focus();
    }

    function signOut(message) {
        sessionStorage.removeItem(KEY_STORAGE);
        state.timers.forEach(stop => stop());
        state.timers = [];
        showLogin(message);
    }

    async function signIn(event) {
        event.preventDefault();
        const input = $('admin-key');
        const key = input.value.trim();
        if (!key) {
            $('login-error').textContent = 'Enter an admin key.';
            return;
        }
        sessionStorage.setItem(KEY_STORAGE, key);
        input.value = '';
        try {
            await api('/admin/v1/store');
        } catch (error) {
            if (error instanceof SignedOut) {
                return;
            }
            sessionStorage.removeItem(KEY_STORAGE);
            showLogin(error.status === 404
                ? 'The admin API is off: this gateway has no caravan.admin-keys.'
                : error.message);
            return;
        }
        start();
    }

    function start() {
        $('login').hidden = true;
        $('dashboard').hidden = false;
        $('logout').hidden = false;
        every(CREDENTIALS_EVERY_MS, refreshCredentials);
        every(CREDENTIALS_EVERY_MS, refreshReload);
        every(USAGE_EVERY_MS, refreshUsage);
        const ticker = setInterval(tickCountdowns, TICK_MS);
        state.timers.push(() => clearInterval(ticker));
    }

    // ---- credentials ----

    async function refreshCredentials() {
        try {
            const answer = await api('/admin/v1/credentials');
            state.clockOffsetMs = Date.parse(answer.server_time) - Date.now();
            renderCredentials(answer);
            $('connection').textContent = 'Updated ' + timeOfDay(answer.server_time);
            report('credentials-error', null);
        } catch (error) {
            report('credentials-error', error);
        }
    }

    function renderCredentials(answer) {
        const body = $('credentials').tBodies[0];
        const seen = new Set();
        for (const credential of answer.credentials) {
            seen.add(credential.name);
            let row = state.rows.get(credential.name);
            if (!row) {
                row = credentialRow(credential.name);
                state.rows.set(credential.name, row);
            }
            body.appendChild(row.tr); // keeps the API's order; moving a row keeps its buttons' focus
            fillCredential(row, credential);
        }
        for (const [name, row] of state.rows) {
            if (!seen.has(name)) {
                row.tr.remove();
                state.rows.delete(name);
            }
        }
        const counts = {};
        answer.credentials.forEach(c => counts[c.state] = (counts[c.state] || 0) + 1);
        const parts = Object.entries(counts).map(([s, n]) => n + ' ' + s);
        $('credentials-summary').textContent = answer.credentials.length + ' credentials'
            + (parts.length ? ': ' + parts.join(', ') : '') + '; ' + answer.waiting + ' requests waiting for one.';
    }

    function credentialRow(name) {
        const tr = element('tr', {'data-credential': name});
        const cells = {};
        for (const field of ['name', 'kind', 'models', 'state', 'cooldown', 'in-flight', 'queued', 'requests',
            'failures', 'last-error', 'actions']) {
            const td = element(field === 'name' ? 'th' : 'td', {'data-field': field, 'class': field});
            if (field === 'name') {
                td.setAttribute('scope', 'row');
            }
            if (['in-flight', 'queued', 'requests', 'failures'].includes(field)) {
                td.classList.add('number');
            }
            cells[field] = td;
            tr.appendChild(td);
        }
        cells.name.textContent = name;
        const buttons = {};
        for (const [action, label] of [['disable', 'Disable'], ['enable', 'Enable'], ['reset', 'Reset']]) {
            const button = element('button', {'type': 'button', 'data-action': action,
                'aria-label': label + ' ' + name}, label);
            button.addEventListener('click', () => act(name, action, button));
            buttons[action] = button;
            cells.actions.appendChild(button);
        }
        return {tr, cells, buttons};
    }

    function fillCredential(row, c) {
        row.tr.dataset.state = c.state;
        row.tr.dataset.enabled = String(c.enabled);
        row.cells.kind.textContent = c.kind;
        row.cells.models.textContent = (c.models || []).join(', ');
        const badge = element('span', {'class': 'badge state-' + c.state}, c.state);
        row.cells.state.replaceChildren(badge);
        fillCooldown(row.cells.cooldown, c);
        row.cells['in-flight'].textContent = c.in_flight + ' / ' + c.max_concurrent;
        row.cells.queued.textContent = numbers.format(c.queued);
        row.cells.requests.textContent = numbers.format(c.requests);
        row.cells.failures.textContent = numbers.format(c.failures);
        if (c.last_error) {
            const status = c.last_error.status === 0 ? 'network fault or time-out' : 'HTTP ' + c.last_error.status;
            row.cells['last-error'].replaceChildren(
                document.createTextNode(status + ' at ' + timeOfDay(c.last_error.at)),
                element('small', {'title': c.last_error.message || ''}, c.last_error.message || ''));
        } else {
            row.cells['last-error'].replaceChildren(element('span', {'class': 'empty'}, 'none'));
        }
        row.buttons.disable.disabled = !c.enabled;
        row.buttons.enable.disabled = c.enabled || c.state === 'draining';
        row.buttons.reset.disabled = !(c.state === 'cooling' || c.state === 'quarantined');
    }

    function fillCooldown(cell, c) {
        if (!c.cooling_until) {
            cell.replaceChildren();
            delete cell.dataset.coolingUntil;
            return;
        }
        cell.dataset.coolingUntil = c.cooling_until;
        const countdown = element('span', {'class': 'countdown', 'data-countdown': ''});
        const reason = c.cooling_reason;
        const why = reason ? [reason.cause, reason.status ? String(reason.status) : null, reason.hint]
            .filter(Boolean).join(' · ') : '';
        cell.replaceChildren(countdown, element('small', {}, why));
        tickCountdown(cell);
    }

    function tickCountdowns() {
        document.querySelectorAll('[data-cooling-until]').forEach(tickCountdown);
    }

    function tickCountdown(cell) {
        const left = Math.max(0, Date.parse(cell.dataset.coolingUntil) - serverNow());
        const seconds = Math.ceil(left / 1000);
        const countdown = cell.querySelector('[data-countdown]');
        countdown.dataset.secondsLeft = String(seconds);
        countdown.textContent = seconds >= 3600
            ? Math.floor(seconds / 3600) + ' h ' + Math.floor(seconds % 3600 / 60) + ' min left'
            : seconds >= 60 ? Math.floor(seconds / 60) + ' min ' + seconds % 60 + ' s left' : seconds + ' s left';
    }

    async function act(name, action, button) {
        button.disabled = true;
        try {
            const credential = await api('/admin/v1/credentials/' + encodeURIComponent(name) + '/' + action, 'POST');
            const row = state.rows.get(name);
            if (row) {
                fillCredential(row, credential);
            }
            report('credentials-error', null);
        } catch (error) {
            report('credentials-error', error);
            button.disabled = false;
        }
    }

    // ---- last reload ----

    async function refreshReload() {
        try {
            const config = await api('/admin/v1/config');
            renderReload(config.last_reload);
            report('reload-error', null);
        } catch (error) {
            report('reload-error', error);
        }
    }

    function renderReload(reload) {
        const box = $('last-reload');
        if (!reload) {
            box.dataset.outcome = 'none';
            box.replaceChildren(element('p', {'class': 'empty'}, 'No reload yet.'));
            return;
        }
        box.dataset.outcome = reload.outcome;
        box.dataset.trigger = reload.trigger;
        const head = element('p');
        head.append(element('span', {'class': 'badge outcome-' + reload.outcome, 'data-field': 'outcome'},
            reload.outcome), ' at ' + timeOfDay(reload.at) + ' (' + reload.trigger + ')');
        const parts = [head];
        if (reload.error) {
            parts.push(element('p', {'class': 'error', 'data-field': 'reload-error'}, reload.error));
        }
        const changes = element('dl');
        for (const file of ['credentials', 'clients']) {
            const diff = reload[file] || {};
            for (const kind of ['added', 'removed', 'changed']) {
                const names = diff[kind] || [];
                changes.append(element('dt', {}, file + ' ' + kind),
                    element('dd', {'data-field': file + '-' + kind}, names.length ? names.join(', ') : '—'));
            }
        }
        parts.push(changes);
        box.replaceChildren(...parts);
    }

    // ---- usage ----

    function choosePeriod(period) {
        state.period = period;
        document.querySelectorAll('#periods button').forEach(b =>
            b.setAttribute('aria-pressed', String(b.dataset.period === period)));
        refreshUsage();
    }

    async function refreshUsage() {
        const period = state.period;
        const spec = PERIODS[period];
        const first = Math.floor(serverNow() / spec.step) * spec.step - (spec.count - 1) * spec.step;
        const query = '/admin/v1/usage?from=' + encodeURIComponent(isoOf(first)) + '&group_by=';
        try {
            const [byClient, byModel] = await Promise.all([
                api(query + 'client,' + spec.bucket), api(query + 'model,' + spec.bucket)]);
            if (period !== state.period) {
                return; // another period was chosen meanwhile; its own refresh draws it
            }
            const labels = [];
            for (let i = 0; i < spec.count; i++) {
                labels.push(spec.label(first + i * spec.step));
            }
            const clients = series(byClient.data, 'client', spec, first);
            const models = series(byModel.data, 'model', spec, first);
            draw('chart-requests-client', labels, clients, 'requests');
            draw('chart-tokens-client', labels, clients, 'tokens');
            draw('chart-requests-model', labels, models, 'requests');
            draw('chart-tokens-model', labels, models, 'tokens');
            drawRates('chart-errors-client', labels, clients);
            drawRates('chart-errors-model', labels, models);
            fillTotals('usage-clients', 'data-usage-client', clients);
            fillTotals('usage-models', 'data-usage-model', models);
            const section = $('usage-summary');
            section.dataset.period = period;
            section.dataset.updated = byClient.to;
            section.textContent = 'From ' + byClient.from.slice(0, 16).replace('T', ' ') + ' to '
                + byClient.to.slice(0, 16).replace('T', ' ') + ' UTC, per ' + spec.bucket + '.';
            report('usage-error', null);
        } catch (error) {
            report('usage-error', error);
        }
    }

    /** name -> per bucket requests, errors, tokens, and the period's totals; sorted by name. */
    function series(rows, key, spec, first) {
        const byName = new Map();
        for (const row of rows) {
            const name = row[key] === undefined ? '(none)' : row[key];
            const start = spec.bucket === 'day' ? Date.parse(row.day + 'T00:00:00Z') : Date.parse(row[spec.bucket]);
            const index = Math.round((start - first) / spec.step);
            if (index < 0 || index >= spec.count) {
                continue;
            }
            let s = byName.get(name);
            if (!s) {
                s = {name, requests: new Array(spec.count).fill(0), errors: new Array(spec.count).fill(0),
                    tokens: new Array(spec.count).fill(0),
                    total: {requests: 0, errors: 0, input: 0, output: 0}};
                byName.set(name, s);
            }
            s.requests[index] += row.requests;
            s.errors[index] += row.errors;
            s.tokens[index] += row.input_tokens + row.output_tokens;
            s.total.requests += row.requests;
            s.total.errors += row.errors;
            s.total.input += row.input_tokens;
            s.total.output += row.output_tokens;
        }
        return [...byName.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    }

    function colour(i) {
        return PALETTE[i % PALETTE.length];
    }

    function chartFor(id, type, stacked, yTitle) {
        if (typeof Chart === 'undefined') {
            return null; // the library did not load: the tables still say it all
        }
        if (!state.charts[id]) {
            state.charts[id] = new Chart($(id), {
                type,
                data: {labels: [], datasets: []},
                options: {
                    animation: false,
                    responsive: true,
                    maintainAspectRatio: false,
                    interaction: {mode: 'index', intersect: false},
                    plugins: {legend: {position: 'bottom', labels: {boxWidth: 12}}},
                    scales: {
                        x: {stacked, offset: true,
                            ticks: {autoSkip: true, autoSkipPadding: 16, maxTicksLimit: 8, maxRotation: 0}},
                        // counts are whole numbers; a rate may be a fraction
                        y: {stacked, beginAtZero: true, title: {display: true, text: yTitle},
                            ticks: {precision: type === 'bar' ? 0 : undefined}},
                    },
                },
            });
        }
        return state.charts[id];
    }

    function draw(id, labels, list, measure) {
        const chart = chartFor(id, 'bar', true, measure);
        if (!chart) {
            return;
        }
        chart.data.labels = labels;
        chart.data.datasets = list.map((s, i) => ({label: s.name, data: s[measure], backgroundColor: colour(i)}));
        chart.update('none');
    }

    function drawRates(id, labels, list) {
        const chart = chartFor(id, 'line', false, '% errors');
        if (!chart) {
            return;
        }
        chart.options.scales.y.suggestedMax = 100;
        chart.data.labels = labels;
        chart.data.datasets = list.map((s, i) => ({
            label: s.name,
            // no point where nothing was asked: a rate of nothing is not 0 %
            data: s.requests.map((n, b) => n ? Math.round(1000 * s.errors[b] / n) / 10 : null),
            borderColor: colour(i),
            backgroundColor: colour(i),
            spanGaps: true,
            pointRadius: 3,
        }));
        chart.update('none');
    }

    function rate(errors, requests) {
        return requests ? (100 * errors / requests).toFixed(1) + ' %' : '—';
    }

    function fillTotals(tableId, attribute, list) {
        const body = $(tableId).tBodies[0];
        if (!list.length) {
            const empty = element('td', {'colspan': '6', 'class': 'empty'}, 'No requests in this period.');
            body.replaceChildren(element('tr', {}, undefined));
            body.firstChild.appendChild(empty);
            return;
        }
        body.replaceChildren(...list.map(s => {
            const tr = element('tr', {[attribute]: s.name});
            tr.append(element('th', {'scope': 'row', 'data-field': 'name'}, s.name),
                element('td', {'class': 'number', 'data-field': 'requests'}, numbers.format(s.total.requests)),
                element('td', {'class': 'number', 'data-field': 'errors'}, numbers.format(s.total.errors)),
                element('td', {'class': 'number', 'data-field': 'error-rate'}, rate(s.total.errors, s.total.requests)),
                element('td', {'class': 'number', 'data-field': 'input-tokens'}, numbers.format(s.total.input)),
                element('td', {'class': 'number', 'data-field': 'output-tokens'}, numbers.format(s.total.output)));
            return tr;
        }));
    }

    // ---- start ----

    document.addEventListener('DOMContentLoaded', () => {
        $('login-form').addEventListener('submit', signIn);
        $('logout').addEventListener('click', () => signOut(''));
        document.querySelectorAll('#periods button').forEach(b =>
            b.addEventListener('click', () => choosePeriod(b.dataset.period)));
        if (adminKey()) {
            start();
        } else {
            showLogin('');
        }
    });
})();
