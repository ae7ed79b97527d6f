// pointe's 3D preview: one self-contained HTML file, opened from disk, no network.
//
// The <audio> element is the clock: every frame draws the dancers, the counts and the timeline at
// audio.currentTime. Keyboard: space play/pause, left/right one count, [ and ] one phrase.
import "./preview.css";
import * as THREE from "three";
import { Clock, Rate } from "./clock";
import { Dancer } from "./dancer";
import { Move, POINTS, Preview, lastAtOrBefore, readPreview } from "./data";
import { addLights, buildStage } from "./stage";
import { Timeline } from "./timeline";
import { Trail } from "./trails";
import { CAMERA_MODES, CameraMode, View } from "./view";

declare global {
  interface Window {
    pointe: unknown;
  }
}

const CAMERA_NAMES: Record<CameraMode, string> = {
  audience: "Audience", top: "Top", mirror: "Mirror", orbit: "Orbit",
};
const CAMERA_KEYS: Record<string, CameraMode> = { "1": "audience", "2": "top", "3": "mirror", "4": "orbit" };
const RATES: Rate[] = [0.5, 0.75, 1];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {},
  ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function clockText(t: number): string {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, "0")}`;
}

function showFatal(message: string): void {
  document.body.replaceChildren(el("div", { class: "fatal" }, message));
}

class App {
  private readonly data: Preview;
  private readonly clock: Clock;
  private readonly view: View;
  private readonly dancers: Dancer[];
  private readonly trails: Trail[];
  private readonly timeline: Timeline;
  private readonly stage: ReturnType<typeof buildStage>;
  private readonly movesByDancer: Move[][];
  private readonly countNumbers: Map<number, number[]> = new Map();
  private readonly firstCount: Map<number, number> = new Map(); // phrase -> index of its first count
  private durationS: number;
  private loop: [number, number] | null = null;
  private lastUi = "";
  ready = false;

  // DOM
  private readonly stageBox: HTMLDivElement;
  private readonly labels: HTMLDivElement[];
  private readonly countBig = el("div", { id: "pointe-count", class: "count-big" });
  private readonly countRow = el("div", { class: "count-row" });
  private readonly phraseText = el("div", { id: "pointe-phrase", class: "phrase" });
  private readonly sectionText = el("div", { id: "pointe-section", class: "section" });
  private readonly stepTexts: HTMLSpanElement[];
  private readonly playButton = el("button", { id: "pointe-play", class: "play", title: "Play / pause (space)" });
  private readonly timeText = el("span", { id: "pointe-time", class: "time" });
  private readonly loopButton = el("button", { id: "pointe-loop", title: "Loop the phrase" }, "Loop phrase");
  private readonly rateButtons: HTMLButtonElement[];
  private readonly cameraButtons: HTMLButtonElement[];
  private readonly notice = el("div", { class: "notice", hidden: "" });

  constructor(data: Preview) {
    this.data = data;
    this.durationS = data.durationS;
    document.title = data.title || "pointe preview";

    // Layout.
    const canvas = el("canvas", { id: "pointe-canvas" });
    const labelLayer = el("div", { class: "labels" });
    this.labels = data.dancers.map((d) => {
      const label = el("div", { class: "label" }, d.name);
      label.style.color = d.color;
      labelLayer.append(label);
      return label;
    });
    this.stepTexts = data.dancers.map((_, i) => el("span", { id: `pointe-step-${i}`, class: "step" }));
    const dancerList = el("div", { class: "dancers" }, ...data.dancers.map((d, i) => {
      const dot = el("span", { class: "dot" });
      dot.style.background = d.color;
      return el("div", { class: "dancer" }, dot, el("span", { class: "name" }, d.name), this.stepTexts[i]);
    }));
    const countBox = el("div", { class: "counts" }, this.countBig, this.countRow, this.phraseText, this.sectionText);
    const title = el("div", { class: "title" }, data.title);
    this.stageBox = el("div", { class: "stage" }, canvas, labelLayer, countBox, dancerList, title, this.notice);
    this.rateButtons = RATES.map((r) => {
      const b = el("button", { "data-rate": String(r), title: `Play at ${r * 100}%` }, `${r * 100}%`);
      b.addEventListener("click", () => this.clock.setRate(r));
      return b;
    });
    this.cameraButtons = CAMERA_MODES.map((mode, i) => {
      const b = el("button", { "data-camera": mode, title: `${CAMERA_NAMES[mode]} view (${i + 1})` },
        CAMERA_NAMES[mode]);
      b.addEventListener("click", () => this.view.setMode(mode));
      return b;
    });
    const timelineCanvas = el("canvas", { id: "pointe-timeline", class: "timeline" });
    const controls = el("div", { class: "controls" },
      this.playButton, this.timeText,
      el("div", { class: "group" }, ...this.rateButtons),
      this.loopButton,
      el("div", { class: "group cameras" }, ...this.cameraButtons),
      el("span", { class: "keys" }, "space play · ←/→ count · [ ] phrase · 1–4 camera"),
    );
    const root = el("div", { id: "pointe-root" }, this.stageBox, controls, timelineCanvas);
    const audio = el("audio", { id: "pointe-player", preload: "auto" });
    document.body.append(root, audio);

    // Clock.
    this.clock = new Clock(audio, this.durationS);
    this.clock.onChange = () => {
      this.view.dirty = true;
    };
    if (data.audio) {
      audio.src = URL.createObjectURL(new Blob([data.audio.bytes as BlobPart], { type: data.audio.mime }));
    }

    // Scene.
    this.view = new View(canvas, data.stage.widthM, data.stage.depthM);
    this.stage = buildStage(data.stage.widthM, data.stage.depthM);
    this.view.scene.add(this.stage.group);
    const key = addLights(this.view.scene, data.stage.widthM, data.stage.depthM);
    this.dancers = data.dancers.map((m) => new Dancer(m));
    this.trails = this.dancers.map((d) => new Trail(d.motion, d.color));
    for (const d of this.dancers) this.view.scene.add(d.group);
    for (const t of this.trails) this.view.scene.add(t.group);
    this.view.onModeChange = (mode) => {
      this.stage.setView(mode === "mirror", mode === "top");
      for (const t of this.trails) t.group.visible = mode === "top";
      // Seen from above, the front light's long shadows would only hide the floor pattern.
      key.castShadow = mode !== "top";
      this.cameraButtons.forEach((b) => b.classList.toggle("on", b.dataset.camera === mode));
    };
    this.view.setMode("audience");

    this.movesByDancer = data.dancers.map((_, i) =>
      data.moves.filter((m) => m.dancer === i).sort((a, b) => a.start_s - b.start_s));
    data.counts.forEach((c, i) => {
      if (!this.firstCount.has(c.phrase)) this.firstCount.set(c.phrase, i);
      const list = this.countNumbers.get(c.phrase) ?? [];
      list.push(c.number);
      this.countNumbers.set(c.phrase, list);
    });

    this.timeline = new Timeline(timelineCanvas, data, this.durationS);
    this.timeline.onSeek = (t) => void this.seek(t);
    this.playButton.addEventListener("click", () => this.clock.toggle());
    this.loopButton.addEventListener("click", () => this.toggleLoop());
    window.addEventListener("keydown", (e) => this.onKey(e));
    new ResizeObserver(() => this.resize()).observe(this.stageBox);
    this.resize();
  }

  async start(): Promise<void> {
    const audio = this.clock.audio;
    if (!this.data.audio) {
      this.clock.goSilent();
      this.say("This preview carries no music: it plays silently.");
    } else {
      await new Promise<void>((resolve) => {
        if (audio.readyState >= 1) resolve();
        audio.addEventListener("loadedmetadata", () => resolve(), { once: true });
        audio.addEventListener("error", () => {
          this.clock.goSilent();
          this.say(`This browser cannot play the music (${this.data.audio!.mime}): the dance plays silently.`);
          resolve();
        }, { once: true });
      });
      if (Number.isFinite(audio.duration)) this.setDuration(Math.max(this.data.durationS, audio.duration));
    }
    this.clock.setRate(1);
    this.frame();
    this.ready = true;
    const loop = () => {
      this.frame();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  private say(message: string): void {
    this.notice.textContent = message;
    this.notice.hidden = false;
  }

  private setDuration(durationS: number): void {
    this.durationS = durationS;
    this.clock.durationS = durationS;
    this.timeline.setDuration(durationS);
  }

  private resize(): void {
    const box = this.stageBox.getBoundingClientRect();
    this.view.resize(Math.round(box.width), Math.round(box.height));
  }

  // ------------------------------------------------------------------ time and navigation

  private countIndex(t: number): number {
    return lastAtOrBefore(this.data.counts, t + 1e-6, (c) => c.time);
  }

  private phraseIndex(t: number): number {
    return lastAtOrBefore(this.data.phrases, t + 1e-6, (p) => p.start_s);
  }

  seek(t: number): Promise<void> {
    const target = Math.min(Math.max(t, 0), this.durationS);
    if (this.loop) {
      const p = this.data.phrases[this.phraseIndex(target)];
      if (p) this.loop = [p.start_s, p.end_s];
    }
    this.view.dirty = true;
    return this.clock.seek(target).then(() => this.frame());
  }

  private stepCount(delta: number): void {
    const counts = this.data.counts;
    if (!counts.length) return;
    const i = this.countIndex(this.clock.time());
    const j = Math.min(Math.max(i + delta, 0), counts.length - 1);
    void this.seek(counts[j].time);
  }

  private stepPhrase(delta: number): void {
    const phrases = this.data.phrases;
    if (!phrases.length) return;
    const i = this.phraseIndex(this.clock.time());
    const j = Math.min(Math.max(i + delta, 0), phrases.length - 1);
    void this.seek(phrases[j].start_s);
  }

  private toggleLoop(): void {
    if (this.loop) {
      this.loop = null;
    } else {
      const p = this.data.phrases[Math.max(0, this.phraseIndex(this.clock.time()))];
      if (p) this.loop = [p.start_s, p.end_s];
    }
    this.view.dirty = true;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === " ") this.clock.toggle();
    else if (e.key === "ArrowRight") this.stepCount(1);
    else if (e.key === "ArrowLeft") this.stepCount(-1);
    else if (e.key === "]") this.stepPhrase(1);
    else if (e.key === "[") this.stepPhrase(-1);
    else if (e.key in CAMERA_KEYS) this.view.setMode(CAMERA_KEYS[e.key]);
    else return;
    e.preventDefault();
    (document.activeElement as HTMLElement | null)?.blur?.();
  }

  // ------------------------------------------------------------------ drawing

  frame(): void {
    let t = this.clock.time();
    if (this.loop && this.clock.playing() && t >= this.loop[1]) {
      void this.clock.seek(this.loop[0]);
      t = this.loop[0];
    }
    this.updateHud(t);
    if (!this.view.dirty && !this.clock.playing()) return;
    for (const d of this.dancers) d.update(t);
    for (const trail of this.trails) trail.update(t);
    this.view.render();
    this.placeLabels();
    this.timeline.set(t, this.loop);
    this.timeline.draw();
  }

  /** Each name just above the highest point of her body on screen (raised arms included),
   * nudged up where it would cover another name. */
  private placeLabels(): void {
    const stage = this.stageBox.getBoundingClientRect();
    const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
    const boxes = this.boxes().map((box, i) => ({ box, i })).sort((a, b) => b.box.y0 - a.box.y0);
    for (const { box, i } of boxes) {
      const label = this.labels[i];
      label.hidden = !box.inFront;
      const w = label.offsetWidth;
      const h = label.offsetHeight;
      const x = box.headX - stage.left;
      let y = box.y0 - stage.top - 6;
      for (let tries = 0; tries < placed.length + 1; tries++) {
        const hit = placed.find((p) => x - w / 2 < p.x1 && x + w / 2 > p.x0 && y - h < p.y1 && y > p.y0);
        if (!hit) break;
        y = hit.y0 - 2;
      }
      placed.push({ x0: x - w / 2, x1: x + w / 2, y0: y - h, y1: y });
      label.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(-50%, -100%)`;
    }
  }

  private updateHud(t: number): void {
    const ci = this.countIndex(t);
    const count = ci >= 0 ? this.data.counts[ci] : null;
    const phrase = count ? this.data.phrases.find((p) => p.number === count.phrase) ?? null : null;
    const section = phrase ? this.data.sections.find((s) => t >= s.start_s - 1e-6 && t < s.end_s)
      ?? this.data.sections.find((s) => s.label === phrase.section) ?? null : null;
    const steps = this.movesByDancer.map((moves) => {
      const k = lastAtOrBefore(moves, t + 1e-6, (m) => m.start_s);
      return k >= 0 && t < moves[k].end_s ? moves[k].label : "";
    });
    const key = [ci, steps.join("|"), this.clock.playing(), this.clock.getRate(), !!this.loop,
      this.view.mode, clockText(t)].join("/");
    if (count) {
      const next = this.data.counts[ci + 1];
      const span = next ? next.time - count.time : 0.5;
      const pulse = Math.max(0, 1 - (t - count.time) / span);
      this.countBig.style.setProperty("--pulse", pulse.toFixed(2));
    }
    if (key === this.lastUi) return;
    this.lastUi = key;
    this.countBig.textContent = count ? String(count.number) : "–";
    const numbers = count ? this.countNumbers.get(count.phrase) ?? [] : [];
    const first = count ? this.firstCount.get(count.phrase) ?? ci : ci;
    this.countRow.replaceChildren(...numbers.map((n, k) =>
      el("span", { class: first + k === ci ? "now" : first + k < ci ? "past" : "" }, String(n))));
    this.phraseText.textContent = !count ? "before the first count"
      : count.phrase === 0 ? "Introduction" : `Phrase ${count.phrase}`;
    this.sectionText.textContent = section
      ? `Section ${section.label}${section.words.length ? ` · ${section.words.join(", ")}` : ""}` : "";
    steps.forEach((s, i) => {
      this.stepTexts[i].textContent = s || "—";
    });
    this.playButton.textContent = this.clock.playing() ? "❚❚" : "▶";
    this.playButton.classList.toggle("on", this.clock.playing());
    this.timeText.textContent = `${clockText(t)} / ${clockText(this.durationS)}`;
    this.loopButton.classList.toggle("on", !!this.loop);
    this.rateButtons.forEach((b) => b.classList.toggle("on", Number(b.dataset.rate) === this.clock.getRate()));
  }

  // ------------------------------------------------------------------ the test hook

  state() {
    const t = this.clock.time();
    return {
      ready: this.ready,
      time: t,
      duration: this.durationS,
      playing: this.clock.playing(),
      silent: this.clock.isSilent,
      rate: this.clock.getRate(),
      preservesPitch: this.clock.audio.preservesPitch,
      camera: this.view.mode,
      loop: this.loop,
      count: this.countBig.textContent,
      phrase: this.phraseText.textContent,
      section: this.sectionText.textContent,
      steps: this.stepTexts.map((s) => s.textContent),
      dancers: this.data.dancers.map((d) => d.name),
    };
  }

  /** Screen boxes (page CSS pixels) of each dancer's body as now drawn. */
  boxes() {
    const canvas = this.view.renderer.domElement.getBoundingClientRect();
    const v = new THREE.Vector3();
    return this.dancers.map((d) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      let inFront = true;
      for (let i = 0; i <= POINTS; i++) {
        const s = this.view.project(i < POINTS ? d.point(i, v) : v.copy(d.headTop));
        inFront &&= s.inFront;
        x0 = Math.min(x0, s.x);
        x1 = Math.max(x1, s.x);
        y0 = Math.min(y0, s.y);
        y1 = Math.max(y1, s.y);
      }
      const head = this.view.project(v.copy(d.headTop));
      return {
        x0: x0 + canvas.left, y0: y0 + canvas.top, x1: x1 + canvas.left, y1: y1 + canvas.top,
        headX: head.x + canvas.left, inFront,
      };
    });
  }

  /** Page CSS pixels of world points [x, y, z] in the current camera. */
  projectPoints(points: [number, number, number][]) {
    const canvas = this.view.renderer.domElement.getBoundingClientRect();
    return points.map(([x, y, z]) => {
      const s = this.view.project(new THREE.Vector3(x, y, z));
      return [s.x + canvas.left, s.y + canvas.top];
    });
  }

  setCamera(mode: CameraMode): void {
    this.view.setMode(mode);
    this.frame();
  }
}

function main(): void {
  let data: Preview;
  try {
    data = readPreview(document);
  } catch (err) {
    showFatal(`pointe preview: ${(err as Error).message}`);
    return;
  }
  const app = new App(data);
  const hook = {
    ready: false,
    seek: (t: number) => app.seek(t),
    state: () => app.state(),
    boxes: () => app.boxes(),
    projectPoints: (points: [number, number, number][]) => app.projectPoints(points),
    setCamera: (mode: CameraMode) => app.setCamera(mode),
  };
  window.pointe = hook;
  void app.start().then(() => {
    hook.ready = true;
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
