// A small asciicast v2 player: a text-only terminal screen (no colours, no HTML) fed by the recorded output frames,
// with play/pause, restart, speed, seeking on the progress bar, and the recorded keyboard input listed beside it.
// Recorded output is attacker-controlled: it only ever reaches the page through textContent.
import { apiFetch } from './api.js';
import { el, formatDuration, notice, replace, visible } from './dom.js';

const IDLE_LIMIT = 2; // seconds: longer pauses in the recording are shortened to this
const SCROLLBACK = 5000;
const SPEEDS = ['0.5', '1', '2', '4', '8'];

/** Parses an asciicast v2 text: {header, events: [[t, code, data]…], skipped}. Throws on a bad header. */
export function parseCast(text) {
  const lines = text.split('\n');
  let header;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    throw new Error('Not an asciicast v2 recording (the first line is not JSON)');
  }
  if (!header || header.version !== 2) throw new Error('Not an asciicast v2 recording (version is not 2)');
  const events = [];
  let skipped = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      const e = JSON.parse(lines[i]);
      if (Array.isArray(e) && e.length >= 3 && Number.isFinite(e[0]) && typeof e[1] === 'string' && typeof e[2] === 'string') {
        events.push([e[0], e[1], e[2]]);
      } else {
        skipped++;
      }
    } catch {
      skipped++;
    }
  }
  events.sort((a, b) => a[0] - b[0]);
  return { header, events, skipped };
}

/** A text terminal: a width×height screen plus scrollback, fed with output bytes; understands the common controls. */
export class Screen {
  constructor(width, height) {
    this.width = clamp(Math.floor(width) || 80, 10, 500);
    this.height = clamp(Math.floor(height) || 24, 2, 300);
    this.reset();
  }

  reset() {
    this.rows = Array.from({ length: this.height }, () => []);
    this.scrollback = [];
    this.x = 0;
    this.y = 0;
    this.state = 'text';
    this.seq = '';
  }

  write(data) {
    for (const ch of data) {
      switch (this.state) {
        case 'esc': this.escape(ch); break;
        case 'csi': this.csiChar(ch); break;
        case 'osc': this.oscChar(ch); break;
        case 'skip': this.state = 'text'; break;
        default: this.plain(ch);
      }
    }
  }

  plain(ch) {
    switch (ch) {
      case '\x1b': this.state = 'esc'; return;
      case '\r': this.x = 0; return;
      case '\n': this.lineFeed(); return;
      case '\b': this.x = Math.max(0, this.x - 1); return;
      case '\t': this.x = Math.min(this.width - 1, (Math.floor(this.x / 8) + 1) * 8); return;
      default:
        if (ch < ' ' || ch === '\x7f' || (ch >= '\x80' && ch <= '\x9f')) return; // other controls: not shown
        if (this.x >= this.width) {
          this.x = 0;
          this.lineFeed();
        }
        this.put(this.x, this.y, ch);
        this.x += 1;
    }
  }

  put(x, y, ch) {
    const row = this.rows[y];
    while (row.length < x) row.push(' ');
    row[x] = ch;
  }

  lineFeed() {
    if (this.y < this.height - 1) {
      this.y += 1;
      return;
    }
    this.scrollback.push(this.rows.shift().join(''));
    if (this.scrollback.length > SCROLLBACK) this.scrollback.shift();
    this.rows.push([]);
  }

  escape(ch) {
    if (ch === '[') {
      this.state = 'csi';
      this.seq = '';
    } else if (ch === ']') {
      this.state = 'osc';
      this.seq = '';
    } else if (ch === '(' || ch === ')' || ch === '#' || ch === '%') {
      this.state = 'skip'; // charset selection: one more byte
    } else {
      this.state = 'text';
      if (ch === 'c') this.clearAll();
      else if (ch === 'M') this.y = Math.max(0, this.y - 1);
      else if (ch === 'D') this.lineFeed();
      else if (ch === 'E') { this.x = 0; this.lineFeed(); }
    }
  }

  oscChar(ch) {
    // window title etc.: ends with BEL or ESC \ — ignored
    if (ch === '\x07') this.state = 'text';
    else if (ch === '\x1b') this.state = 'skip';
    else if (this.seq.length > 4096) this.state = 'text';
    else this.seq += ch;
  }

  csiChar(ch) {
    if (ch >= '@' && ch <= '~') {
      this.state = 'text';
      this.csi(this.seq, ch);
    } else if (this.seq.length > 64) {
      this.state = 'text';
    } else {
      this.seq += ch;
    }
  }

  csi(seq, final) {
    if (seq.startsWith('?') || seq.startsWith('>') || seq.startsWith('=')) {
      if (final === 'h' && /(^|;)\??1049(;|$)/.test(seq)) this.clearScreen(); // alternate screen
      return; // other private modes: not relevant for text
    }
    const args = seq.split(';').map((p) => parseInt(p, 10));
    const n = (i, d = 1) => (Number.isFinite(args[i]) && args[i] > 0 ? args[i] : d);
    switch (final) {
      case 'A': this.y = Math.max(0, this.y - n(0)); break;
      case 'B': case 'e': this.y = Math.min(this.height - 1, this.y + n(0)); break;
      case 'C': case 'a': this.x = Math.min(this.width - 1, this.x + n(0)); break;
      case 'D': this.x = Math.max(0, this.x - n(0)); break;
      case 'E': this.x = 0; this.y = Math.min(this.height - 1, this.y + n(0)); break;
      case 'F': this.x = 0; this.y = Math.max(0, this.y - n(0)); break;
      case 'G': case '`': this.x = clamp(n(0) - 1, 0, this.width - 1); break;
      case 'd': this.y = clamp(n(0) - 1, 0, this.height - 1); break;
      case 'H': case 'f':
        this.y = clamp(n(0) - 1, 0, this.height - 1);
        this.x = clamp(n(1) - 1, 0, this.width - 1);
        break;
      case 'J': this.eraseDisplay(Number.isFinite(args[0]) ? args[0] : 0); break;
      case 'K': this.eraseLine(Number.isFinite(args[0]) ? args[0] : 0); break;
      case 'P': this.rows[this.y].splice(this.x, n(0)); break;
      case 'X': for (let i = 0; i < n(0); i++) if (this.x + i < this.rows[this.y].length) this.rows[this.y][this.x + i] = ' '; break;
      case '@': if (this.x < this.rows[this.y].length) this.rows[this.y].splice(this.x, 0, ...' '.repeat(n(0))); break;
      default: break; // colours (m) and the rest: text only
    }
  }

  eraseLine(mode) {
    const row = this.rows[this.y];
    if (mode === 0) row.length = Math.min(row.length, this.x);
    else if (mode === 1) for (let i = 0; i <= this.x && i < row.length; i++) row[i] = ' ';
    else this.rows[this.y] = [];
  }

  eraseDisplay(mode) {
    if (mode === 0) {
      this.eraseLine(0);
      for (let y = this.y + 1; y < this.height; y++) this.rows[y] = [];
    } else if (mode === 1) {
      for (let y = 0; y < this.y; y++) this.rows[y] = [];
      this.eraseLine(1);
    } else {
      this.clearScreen();
      if (mode === 3) this.scrollback = [];
    }
  }

  clearScreen() {
    this.rows = Array.from({ length: this.height }, () => []);
  }

  clearAll() {
    this.clearScreen();
    this.x = 0;
    this.y = 0;
  }

  /** The visible text: scrollback, then the screen without its trailing empty lines; invisible characters escaped. */
  text() {
    const screen = this.rows.map((r) => r.join('').replace(/\s+$/, ''));
    let last = screen.length;
    while (last > 0 && screen[last - 1] === '' && last - 1 > this.y) last--;
    return visible([...this.scrollback, ...screen.slice(0, last)].join('\n'));
  }
}

/**
 * The player widget for one recording URL (an /api/ path). Renders into a new element (returned); fetches when
 * created. The container carries data-state (loading|ready|playing|paused|ended|error) and data-frames-played, which
 * the browser test reads.
 */
export function createPlayer(castUrl, { title = 'Exec replay' } = {}) {
  const screenEl = el('pre', { className: 'term-screen', attrs: { 'aria-label': 'Terminal output', tabindex: '0' } });
  const inputEl = el('ol', { className: 'term-input' });
  const playBtn = el('button', { type: 'button', className: 'btn btn-primary player-play', text: 'Play', disabled: true });
  const restartBtn = el('button', { type: 'button', className: 'btn player-restart', text: 'Restart', disabled: true });
  const speedSel = el('select', { className: 'player-speed', attrs: { 'aria-label': 'Speed' } },
    SPEEDS.map((s) => el('option', { value: s, text: `${s}×`, selected: s === '1' })));
  const timeEl = el('span', { className: 'player-time mono', text: '0.0s / 0.0s' });
  const barFill = el('div', { className: 'player-bar-fill' });
  const bar = el('div', { className: 'player-bar', attrs: { role: 'slider', 'aria-label': 'Position', tabindex: '0', 'aria-valuemin': '0' } }, barFill);
  const info = el('div', { className: 'player-info muted small' });
  const root = el('div', { className: 'player', dataset: { state: 'loading', framesPlayed: '0' } },
    el('div', { className: 'player-head' }, el('strong', { text: title }), info),
    el('div', { className: 'player-controls' }, playBtn, restartBtn, el('label', { className: 'small' }, 'Speed ', speedSel), bar, timeEl),
    el('div', { className: 'player-body' },
      screenEl,
      el('div', { className: 'term-side' }, el('div', { className: 'small muted', text: 'Keyboard input (stdin)' }), inputEl)));

  let cast = null;
  let screen = null;
  let times = []; // playback time of each event (idle pauses shortened)
  let index = 0; // next event to apply
  let position = 0; // seconds of playback time
  let timer = null;
  let startedAt = 0; // performance.now() when play (re)started
  let startedPos = 0;
  let frames = 0;

  const speed = () => parseFloat(speedSel.value) || 1;
  const duration = () => (times.length ? times[times.length - 1] : 0);

  function setState(state) {
    root.dataset.state = state;
    playBtn.textContent = state === 'playing' ? 'Pause' : state === 'ended' ? 'Replay' : 'Play';
  }

  function draw() {
    screenEl.textContent = screen.text();
    screenEl.scrollTop = screenEl.scrollHeight;
    root.dataset.framesPlayed = String(frames);
    const d = duration();
    timeEl.textContent = `${position.toFixed(1)}s / ${d.toFixed(1)}s`;
    barFill.style.width = `${d > 0 ? Math.min(100, (position / d) * 100) : 0}%`; // CSSOM: allowed by style-src 'self'
    bar.setAttribute('aria-valuenow', position.toFixed(1));
  }

  function apply(i) {
    const [, code, data] = cast.events[i];
    if (code === 'o') {
      screen.write(data);
      frames += 1;
    } else if (code === 'i') {
      inputEl.appendChild(el('li', { className: 'mono' }, el('span', { className: 'muted', text: `${times[i].toFixed(1)}s ` }),
        JSON.stringify(data)));
      inputEl.scrollTop = inputEl.scrollHeight;
    }
  }

  function seek(target) {
    stop();
    screen.reset();
    replace(inputEl);
    frames = 0;
    index = 0;
    while (index < cast.events.length && times[index] <= target) apply(index++);
    position = Math.min(target, duration());
    draw();
  }

  function stop() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function tick() {
    timer = null;
    position = startedPos + ((performance.now() - startedAt) / 1000) * speed();
    while (index < cast.events.length && times[index] <= position) apply(index++);
    if (index >= cast.events.length) {
      position = duration();
      draw();
      setState('ended');
      return;
    }
    draw();
    const wait = ((times[index] - position) / speed()) * 1000;
    timer = setTimeout(tick, Math.max(0, Math.min(wait, 250)));
  }

  function play() {
    if (index >= cast.events.length) seek(0);
    startedAt = performance.now();
    startedPos = position;
    setState('playing');
    tick();
  }

  function pause() {
    stop();
    position = startedPos + ((performance.now() - startedAt) / 1000) * speed();
    position = Math.min(position, duration());
    draw();
    setState('paused');
  }

  playBtn.addEventListener('click', () => (root.dataset.state === 'playing' ? pause() : play()));
  restartBtn.addEventListener('click', () => {
    const wasPlaying = root.dataset.state === 'playing';
    seek(0);
    setState('ready');
    if (wasPlaying) play();
  });
  speedSel.addEventListener('change', () => {
    if (root.dataset.state === 'playing') {
      pause();
      play();
    }
  });
  const seekFromPointer = (event) => {
    const rect = bar.getBoundingClientRect();
    const fraction = clamp((event.clientX - rect.left) / rect.width, 0, 1);
    const wasPlaying = root.dataset.state === 'playing';
    seek(fraction * duration());
    setState(wasPlaying ? 'paused' : index >= cast.events.length ? 'ended' : 'paused');
    if (wasPlaying) play();
  };
  bar.addEventListener('click', seekFromPointer);
  bar.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    seek(clamp(position + (event.key === 'ArrowRight' ? 5 : -5), 0, duration()));
    setState(index >= cast.events.length ? 'ended' : 'paused');
  });

  (async () => {
    try {
      const response = await apiFetch(castUrl, { accept: 'application/x-asciicast, text/plain;q=0.5' });
      cast = parseCast(await response.text());
    } catch (e) {
      root.dataset.state = 'error';
      screenEl.replaceWith(notice('error', `Cannot load the recording: ${e.message}`));
      return;
    }
    const h = cast.header;
    screen = new Screen(h.width, h.height);
    times = [];
    let prev = 0;
    let acc = 0;
    for (const [t] of cast.events) {
      acc += Math.min(Math.max(0, t - prev), IDLE_LIMIT);
      prev = t;
      times.push(acc);
    }
    const outputs = cast.events.filter((e) => e[1] === 'o').length;
    const inputs = cast.events.filter((e) => e[1] === 'i').length;
    replace(info, [
      typeof h.title === 'string' ? h.title : null,
      `${screen.width}×${screen.height}`,
      `${outputs} output / ${inputs} input frames`,
      `recorded ${formatDuration(((cast.events.at(-1)?.[0]) ?? 0) * 1000)}`,
      cast.skipped ? `${cast.skipped} unreadable lines skipped` : null,
      `pauses over ${IDLE_LIMIT}s shortened`,
    ].filter(Boolean).join(' · '));
    draw();
    playBtn.disabled = false;
    restartBtn.disabled = false;
    setState('ready');
  })();

  root.destroy = stop;
  return root;
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}
