import { whenFirstScreenPainted } from '../../shell/first-screen.ts';

/**
 * The alert sound: a short two-tone beep made with Web Audio (nothing to download). Browsers
 * keep audio locked until the user interacts with the page, so the context is resumed on the
 * first pointer or key press; a beep asked for before that plays then. The context itself is made
 * earlier, while the page is idle after its first screen: making one is the costly part (in headless
 * Chromium 156 at 4× CPU throttling, about 35 ms, and over 500 ms for the browser's first; 17 ms
 * unthrottled; resuming one takes 0.3 ms), and made by the first press it delayed that press's
 * response, the first tap on a ticket after opening the app.
 * Between beeps the context is suspended: a running one keeps the audio device and a rendering
 * thread busy for the whole session, which costs a phone CPU and battery. Once the page has been
 * interacted with, it may be resumed at any time.
 * Muting is kept per device in localStorage.
 */
const MUTE_KEY = 'desk.sound';

let context: AudioContext | null = null;
let unlocked = false;
let owed = false;
/** Beeps asked for or still sounding: the context is suspended only when none is left. */
let sounding = 0;

export function soundMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === 'off';
  } catch {
    return false;
  }
}

export function setSoundMuted(muted: boolean): void {
  try {
    if (muted) localStorage.setItem(MUTE_KEY, 'off');
    else localStorage.removeItem(MUTE_KEY);
  } catch {
    // private mode: the choice lasts for this visit only
  }
}

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = typeof window === 'undefined' ? undefined : window.AudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

function beep(ctx: AudioContext): void {
  const start = ctx.currentTime + 0.01;
  const gain = ctx.createGain();
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
  gain.connect(ctx.destination);
  let last: OscillatorNode | null = null;
  for (const [freq, offset] of [
    [880, 0],
    [1320, 0.12],
  ] as const) {
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.value = freq;
    osc.connect(gain);
    osc.start(start + offset);
    osc.stop(start + offset + 0.16);
    last = osc;
  }
  if (last) last.onended = () => release(ctx);
}

/** One beep done: with none left, the audio device is let go until the next. */
function release(ctx: AudioContext): void {
  sounding = Math.max(0, sounding - 1);
  if (sounding === 0) void ctx.suspend();
}

/** Resumes the context, then beeps; counted at once, so a beep ending meanwhile doesn't suspend it. */
function resumeAndBeep(ctx: AudioContext): void {
  sounding += 1;
  void ctx.resume().then(() => beep(ctx));
}

/** Runs `work` when the page is next idle (within a couple of seconds); a short timer where there is no idle callback (Safari). */
function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 2000 });
  else setTimeout(work, 200);
}

/** Makes the context ahead of the first interaction; a browser that lets it start at once has it let go until a beep. */
function prepareContext(): void {
  if (soundMuted()) return;
  const ctx = audio();
  if (ctx && ctx.state === 'running' && sounding === 0 && !unlocked) void ctx.suspend();
}

/**
 * Call once at start-up: the context is made once the first screen has painted and the page is
 * idle, and the first interaction unlocks audio (and plays a beep that was owed).
 */
export function prepareSound(): void {
  if (typeof window === 'undefined') return;
  whenFirstScreenPainted(() => whenIdle(prepareContext));
  const unlock = () => {
    // Made at idle already, unless muted then or the press came first: then made here.
    const ctx = audio();
    if (!ctx) return;
    void ctx.resume().then(() => {
      unlocked = true;
      window.removeEventListener('pointerdown', unlock, true);
      window.removeEventListener('keydown', unlock, true);
      if (owed && !soundMuted()) resumeAndBeep(ctx);
      else if (sounding === 0) void ctx.suspend();
      owed = false;
    });
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

/** Plays the alert sound unless muted; before the first interaction it waits for it. */
export function playAlertSound(options: { force?: boolean } = {}): void {
  if (soundMuted() && !options.force) return;
  const ctx = audio();
  if (!ctx) return;
  if (unlocked || ctx.state === 'running') {
    resumeAndBeep(ctx);
  } else {
    owed = true;
  }
}
