// The data a preview file carries: read from the page, decoded once.
//
// Layout (schema "pointe.preview/1", written by pointe.export.preview):
// - <script type="application/json" id="pointe-data">: the music's counts, phrases, sections and
//   energy; the stage size; the steps; per dancer her name, colour and height and her joint
//   positions as base64 little-endian int16 millimetres, frames x points x 3 at motion.fps.
// - <script type="application/octet-stream" id="pointe-audio" data-mime="...">: the music file,
//   base64.

export interface Count {
  time: number;
  phrase: number;
  number: number;
}

export interface Phrase {
  number: number;
  start_s: number;
  end_s: number;
  length: number;
  section: string;
}

export interface Section {
  label: string;
  start_s: number;
  end_s: number;
  words: string[];
}

export interface Move {
  dancer: number;
  start_s: number;
  end_s: number;
  label: string;
}

interface RawDancer {
  name: string;
  color: string;
  height_m: number;
  frames: number;
  positions: string;
}

interface RawData {
  schema: string;
  title: string;
  duration_s: number;
  stage: { width_m: number; depth_m: number };
  music: {
    meter: string;
    count_unit: string;
    counts: { time_s: number[]; phrase: number[]; number: number[] };
    phrases: Phrase[];
    sections: Section[];
    energy: { rate_hz: number; values: number[] };
  };
  motion: {
    fps: number;
    unit_m: number;
    points: string[];
    dancers: RawDancer[];
  };
  moves: Move[];
}

export const SCHEMA = "pointe.preview/1";

// Point indices: the 24 SMPL joints, then the point in front of the face.
export const J = {
  pelvis: 0, lHip: 1, rHip: 2, spine1: 3, lKnee: 4, rKnee: 5, spine2: 6, lAnkle: 7, rAnkle: 8,
  spine3: 9, lFoot: 10, rFoot: 11, neck: 12, lCollar: 13, rCollar: 14, head: 15, lShoulder: 16,
  rShoulder: 17, lElbow: 18, rElbow: 19, lWrist: 20, rWrist: 21, lHand: 22, rHand: 23, face: 24,
} as const;
export const POINTS = 25;

export class DancerMotion {
  readonly name: string;
  readonly color: string;
  readonly heightM: number;
  readonly frames: number;
  readonly fps: number;
  readonly positions: Float32Array; // frames x POINTS x 3, metres

  constructor(raw: RawDancer, fps: number, unitM: number) {
    this.name = raw.name;
    this.color = raw.color;
    this.heightM = raw.height_m;
    this.frames = raw.frames;
    this.fps = fps;
    const bytes = decodeBase64(raw.positions);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = this.frames * POINTS * 3;
    if (bytes.byteLength !== n * 2) {
      throw new Error(`dancer ${raw.name}: ${bytes.byteLength} bytes of positions, expected ${n * 2}`);
    }
    this.positions = new Float32Array(n);
    for (let i = 0; i < n; i++) this.positions[i] = view.getInt16(i * 2, true) * unitM;
  }

  get durationS(): number {
    return (this.frames - 1) / this.fps;
  }

  /** Every point at time t (linear between frames; held before the first and after the last). */
  sample(t: number, out: Float32Array): Float32Array {
    const f = Math.min(Math.max(t * this.fps, 0), this.frames - 1);
    const i0 = Math.floor(f);
    const i1 = Math.min(i0 + 1, this.frames - 1);
    const a = f - i0;
    const p = this.positions;
    const o0 = i0 * POINTS * 3;
    const o1 = i1 * POINTS * 3;
    for (let k = 0; k < POINTS * 3; k++) out[k] = p[o0 + k] * (1 - a) + p[o1 + k] * a;
    return out;
  }
}

export interface Preview {
  title: string;
  durationS: number;
  stage: { widthM: number; depthM: number };
  meter: string;
  countUnit: string;
  counts: Count[];
  phrases: Phrase[];
  sections: Section[];
  energy: { rateHz: number; values: number[] };
  dancers: DancerMotion[];
  moves: Move[];
  audio: { mime: string; bytes: Uint8Array } | null;
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function readPreview(doc: Document): Preview {
  const node = doc.getElementById("pointe-data");
  if (!node || !node.textContent) throw new Error("this page carries no preview data");
  const raw = JSON.parse(node.textContent) as RawData;
  if (raw.schema !== SCHEMA) {
    throw new Error(`unknown preview schema ${raw.schema} (this viewer reads ${SCHEMA})`);
  }
  const c = raw.music.counts;
  const counts: Count[] = c.time_s.map((time, i) => ({ time, phrase: c.phrase[i], number: c.number[i] }));
  const audioNode = doc.getElementById("pointe-audio");
  const audio = audioNode && audioNode.textContent
    ? { mime: audioNode.getAttribute("data-mime") || "audio/ogg", bytes: decodeBase64(audioNode.textContent) }
    : null;
  return {
    title: raw.title,
    durationS: raw.duration_s,
    stage: { widthM: raw.stage.width_m, depthM: raw.stage.depth_m },
    meter: raw.music.meter,
    countUnit: raw.music.count_unit,
    counts,
    phrases: raw.music.phrases,
    sections: raw.music.sections,
    energy: { rateHz: raw.music.energy.rate_hz, values: raw.music.energy.values },
    dancers: raw.motion.dancers.map((d) => new DancerMotion(d, raw.motion.fps, raw.motion.unit_m)),
    moves: raw.moves,
    audio,
  };
}

/** Index of the last item whose key is <= t, or -1 (items sorted by key). */
export function lastAtOrBefore<T>(items: readonly T[], t: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
