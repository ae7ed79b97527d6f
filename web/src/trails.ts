// Floor patterns: each dancer's path over the floor (her pelvis, dropped to the floor) as a
// ribbon in her colour; the whole path faint, the part she has already danced bright.
import * as THREE from "three";
import { DancerMotion, POINTS } from "./data";

const WIDTH_M = 0.07;
const MIN_STEP_M = 0.015;

export class Trail {
  readonly group = new THREE.Group();
  private readonly travelled: THREE.Mesh;
  private readonly indicesUpTo: Uint32Array; // per frame: how many indices draw the path so far
  private readonly fps: number;
  readonly floorPoints: Float32Array; // kept points, x z pairs

  constructor(motion: DancerMotion, color: THREE.Color) {
    this.fps = motion.fps;
    const kept: number[] = [];
    this.indicesUpTo = new Uint32Array(motion.frames);
    let lastX = NaN;
    let lastZ = NaN;
    for (let f = 0; f < motion.frames; f++) {
      const o = f * POINTS * 3;
      const x = motion.positions[o];
      const z = motion.positions[o + 2];
      if (!(Math.hypot(x - lastX, z - lastZ) < MIN_STEP_M)) {
        kept.push(x, z);
        lastX = x;
        lastZ = z;
      }
      this.indicesUpTo[f] = Math.max(0, kept.length / 2 - 1) * 6;
    }
    this.floorPoints = Float32Array.from(kept);
    const n = kept.length / 2;
    const vertices = new Float32Array(Math.max(n, 1) * 2 * 3);
    for (let i = 0; i < n; i++) {
      const prev = Math.max(0, i - 1);
      const next = Math.min(n - 1, i + 1);
      let dx = kept[next * 2] - kept[prev * 2];
      let dz = kept[next * 2 + 1] - kept[prev * 2 + 1];
      const len = Math.hypot(dx, dz) || 1;
      dx /= len;
      dz /= len;
      const nx = -dz * (WIDTH_M / 2);
      const nz = dx * (WIDTH_M / 2);
      vertices.set([kept[i * 2] + nx, 0, kept[i * 2 + 1] + nz, kept[i * 2] - nx, 0, kept[i * 2 + 1] - nz], i * 6);
    }
    const indices: number[] = [];
    for (let i = 0; i + 1 < n; i++) {
      const a = i * 2;
      indices.push(a, a + 1, a + 2, a + 1, a + 3, a + 2);
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("position", new THREE.BufferAttribute(vertices, 3));
    geometry.setIndex(indices);
    const material = (opacity: number) => new THREE.MeshBasicMaterial({
      color, transparent: true, opacity, depthWrite: false, side: THREE.DoubleSide,
    });
    const whole = new THREE.Mesh(geometry, material(0.3));
    whole.position.y = 0.004;
    this.travelled = new THREE.Mesh(geometry.clone(), material(0.95));
    this.travelled.position.y = 0.006;
    this.travelled.renderOrder = 1;
    // Where she starts: a ring on the floor.
    const ring = new THREE.Mesh(new THREE.RingGeometry(0.13, 0.18, 32), material(0.9));
    ring.rotation.x = -Math.PI / 2;
    if (n > 0) ring.position.set(kept[0], 0.005, kept[1]);
    this.group.add(whole, this.travelled, ring);
  }

  update(t: number): void {
    const f = Math.min(Math.max(Math.round(t * this.fps), 0), this.indicesUpTo.length - 1);
    this.travelled.geometry.setDrawRange(0, this.indicesUpTo[f]);
  }
}
