// The timeline strip: sections, phrases and the music's energy over the whole piece, the phrase
// being looped, and the playhead. Click or drag on it to scrub.
import { Preview } from "./data";

const SECTION_COLORS = ["#4b5b8f", "#7a4f86", "#3f7a6f", "#8a6a3c", "#84485a", "#4d7a3f"];

export class Timeline {
  readonly canvas: HTMLCanvasElement;
  private readonly data: Preview;
  private durationS: number;
  private time = 0;
  private loop: [number, number] | null = null;
  private dragging = false;
  onSeek: (t: number) => void = () => {};

  constructor(canvas: HTMLCanvasElement, data: Preview, durationS: number) {
    this.canvas = canvas;
    this.data = data;
    this.durationS = durationS;
    canvas.addEventListener("pointerdown", (e) => {
      this.dragging = true;
      canvas.setPointerCapture(e.pointerId);
      this.onSeek(this.timeAt(e.clientX));
    });
    canvas.addEventListener("pointermove", (e) => {
      if (this.dragging) this.onSeek(this.timeAt(e.clientX));
    });
    const stop = () => {
      this.dragging = false;
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
  }

  setDuration(durationS: number): void {
    this.durationS = durationS;
  }

  private timeAt(clientX: number): number {
    const box = this.canvas.getBoundingClientRect();
    return Math.min(Math.max((clientX - box.left) / box.width, 0), 1) * this.durationS;
  }

  set(time: number, loop: [number, number] | null): void {
    this.time = time;
    this.loop = loop;
  }

  draw(): void {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const g = c.getContext("2d")!;
    const x = (t: number) => (t / this.durationS) * w;
    g.clearRect(0, 0, w, h);
    g.fillStyle = "#121218";
    g.fillRect(0, 0, w, h);
    const secH = Math.round(18 * dpr);
    const phrH = Math.round(16 * dpr);
    const font = (px: number, weight = 500) => `${weight} ${Math.round(px * dpr)}px system-ui, sans-serif`;
    g.textBaseline = "middle";
    // Sections.
    this.data.sections.forEach((s, i) => {
      g.fillStyle = SECTION_COLORS[i % SECTION_COLORS.length];
      g.fillRect(x(s.start_s), 0, x(s.end_s) - x(s.start_s) - dpr, secH);
      g.fillStyle = "#f2f0f7";
      g.font = font(11, 600);
      const words = s.words.length ? ` · ${s.words.join(", ")}` : "";
      this.clipText(g, `${s.label}${words}`, x(s.start_s) + 5 * dpr, secH / 2, x(s.end_s) - x(s.start_s) - 8 * dpr);
    });
    // Phrases.
    this.data.phrases.forEach((p, i) => {
      g.fillStyle = i % 2 ? "#2a2a36" : "#33333f";
      g.fillRect(x(p.start_s), secH + dpr, x(p.end_s) - x(p.start_s) - dpr, phrH);
      g.fillStyle = "#b9b6c8";
      g.font = font(10);
      this.clipText(g, p.number === 0 ? "intro" : String(p.number), x(p.start_s) + 3 * dpr,
        secH + dpr + phrH / 2, x(p.end_s) - x(p.start_s) - 4 * dpr);
    });
    // Energy.
    const top = secH + phrH + 3 * dpr;
    const bottom = h - 2 * dpr;
    const e = this.data.energy;
    if (e.values.length > 1) {
      g.beginPath();
      g.moveTo(0, bottom);
      e.values.forEach((v, i) => g.lineTo(x(i / e.rateHz), bottom - v * (bottom - top)));
      g.lineTo(x((e.values.length - 1) / e.rateHz), bottom);
      g.closePath();
      g.fillStyle = "rgba(150, 170, 255, 0.28)";
      g.fill();
      g.strokeStyle = "rgba(170, 190, 255, 0.8)";
      g.lineWidth = dpr;
      g.stroke();
    }
    // Counts: a tick each, taller on a phrase's "1".
    g.fillStyle = "rgba(255, 255, 255, 0.22)";
    for (const count of this.data.counts) {
      const tall = count.number === 1 ? 7 : 3;
      g.fillRect(x(count.time), bottom - tall * dpr, dpr, tall * dpr);
    }
    if (this.loop) {
      g.fillStyle = "rgba(255, 214, 102, 0.18)";
      g.fillRect(x(this.loop[0]), 0, x(this.loop[1]) - x(this.loop[0]), h);
      g.fillStyle = "rgba(255, 214, 102, 0.9)";
      g.fillRect(x(this.loop[0]), 0, dpr, h);
      g.fillRect(x(this.loop[1]) - dpr, 0, dpr, h);
    }
    // Playhead.
    g.fillStyle = "#ffffff";
    g.fillRect(x(this.time) - dpr, 0, 2 * dpr, h);
  }

  private clipText(g: CanvasRenderingContext2D, text: string, x: number, y: number, room: number): void {
    if (room < 6) return;
    let shown = text;
    while (shown.length > 1 && g.measureText(shown).width > room) shown = shown.slice(0, -1);
    if (g.measureText(shown).width <= room) g.fillText(shown, x, y);
  }
}
