// A dancer: a clean mannequin posed from her joint positions each frame.
//
// Limbs are tapered capsules between joints (tights on the legs, satin pointe shoes on the feet,
// bare arms), the torso a leotard in her colour with a short tutu at the hips, and a head with
// the hair drawn back into a bun, which shows where she faces. Sizes are for a 1.65 m dancer and
// scale with her height.
import * as THREE from "three";
import { DancerMotion, J, POINTS } from "./data";

const SKIN = "#e4bfa3";
const TIGHTS = "#f2e2de";
const SATIN = "#ee9fb2";
const HAIR = "#3a271d";

type Frame = "hips" | "shoulders";

interface Segment {
  a: number;
  b: number;
  r1: number;
  r2: number;
  extend: number; // metres past b (toes of the shoe, fingers of the hand)
  material: THREE.Material;
  frame: Frame;
  flatten: number; // front-to-back thickness relative to width
}

/** A capsule along +Y from y = 0 to y = length, radius r1 at the bottom, r2 at the top. */
function taperedCapsule(length: number, r1: number, r2: number): THREE.BufferGeometry {
  const points: THREE.Vector2[] = [];
  const n = 6;
  for (let i = 0; i <= n; i++) {
    const t = -Math.PI / 2 + (i / n) * (Math.PI / 2);
    points.push(new THREE.Vector2(r1 * Math.cos(t) + (i === 0 ? 1e-4 : 0), r1 * Math.sin(t)));
  }
  for (let i = 0; i <= n; i++) {
    const t = (i / n) * (Math.PI / 2);
    points.push(new THREE.Vector2(r2 * Math.cos(t) + (i === n ? 1e-4 : 0), length + r2 * Math.sin(t)));
  }
  return new THREE.LatheGeometry(points, 18);
}

/** A short tutu: a thin, slightly fluted disc around the hips, centred on the origin. */
function tutuGeometry(scale: number): THREE.BufferGeometry {
  const profile = [
    new THREE.Vector2(0.13, 0.045),
    new THREE.Vector2(0.2, 0.03),
    new THREE.Vector2(0.3, -0.005),
    new THREE.Vector2(0.335, -0.03),
    new THREE.Vector2(0.3, -0.04),
    new THREE.Vector2(0.2, -0.035),
    new THREE.Vector2(0.14, -0.02),
  ].map((p) => p.multiplyScalar(scale));
  const geometry = new THREE.LatheGeometry(profile, 64);
  const pos = geometry.attributes.position as THREE.BufferAttribute;
  const v = new THREE.Vector3();
  for (let i = 0; i < pos.count; i++) {
    v.fromBufferAttribute(pos, i);
    const r = Math.hypot(v.x, v.z);
    const angle = Math.atan2(v.z, v.x);
    const flute = 1 + 0.045 * Math.sin(angle * 14) * Math.min(1, Math.max(0, (r / scale - 0.18) / 0.15));
    pos.setXYZ(i, v.x * flute, v.y + 0.012 * scale * Math.sin(angle * 14 + 1.3) * (r / (0.335 * scale)), v.z * flute);
  }
  geometry.computeVertexNormals();
  return geometry;
}

const v1 = new THREE.Vector3();
const v2 = new THREE.Vector3();
const vx = new THREE.Vector3();
const vy = new THREE.Vector3();
const vz = new THREE.Vector3();

export class Dancer {
  readonly motion: DancerMotion;
  readonly group = new THREE.Group();
  readonly color: THREE.Color;
  readonly points = new Float32Array(POINTS * 3);
  private readonly segments: { seg: Segment; mesh: THREE.Mesh }[] = [];
  private readonly pelvis: THREE.Mesh;
  private readonly tutu: THREE.Mesh;
  private readonly head: THREE.Mesh;
  private readonly hair: THREE.Mesh;
  private readonly bun: THREE.Mesh;
  private readonly ribbons: THREE.Mesh[];
  private readonly scale: number;
  readonly headTop = new THREE.Vector3();

  constructor(motion: DancerMotion) {
    this.motion = motion;
    this.color = new THREE.Color(motion.color);
    const s = (this.scale = motion.heightM / 1.65);
    const leotard = new THREE.MeshStandardMaterial({ color: this.color, roughness: 0.5 });
    const tulle = new THREE.MeshStandardMaterial({
      color: this.color.clone().lerp(new THREE.Color("#ffffff"), 0.3),
      roughness: 0.85,
      side: THREE.DoubleSide,
    });
    const skin = new THREE.MeshStandardMaterial({ color: SKIN, roughness: 0.65 });
    const tights = new THREE.MeshStandardMaterial({ color: TIGHTS, roughness: 0.6 });
    const satin = new THREE.MeshStandardMaterial({ color: SATIN, roughness: 0.3, metalness: 0.05 });
    const hair = new THREE.MeshStandardMaterial({ color: HAIR, roughness: 0.7 });

    const seg = (a: number, b: number, r1: number, r2: number, material: THREE.Material,
      frame: Frame, extend = 0, flatten = 1): Segment =>
      ({ a, b, r1: r1 * s, r2: r2 * s, extend: extend * s, material, frame, flatten });
    const list: Segment[] = [
      seg(J.spine1, J.spine3, 0.098, 0.112, leotard, "hips", 0, 0.72),
      seg(J.spine3, J.neck, 0.112, 0.072, leotard, "shoulders", 0, 0.7),
      seg(J.lCollar, J.lShoulder, 0.05, 0.046, skin, "shoulders"),
      seg(J.rCollar, J.rShoulder, 0.05, 0.046, skin, "shoulders"),
      seg(J.neck, J.head, 0.037, 0.035, skin, "shoulders"),
      seg(J.lHip, J.lKnee, 0.07, 0.047, tights, "hips"),
      seg(J.rHip, J.rKnee, 0.07, 0.047, tights, "hips"),
      seg(J.lKnee, J.lAnkle, 0.046, 0.029, tights, "hips"),
      seg(J.rKnee, J.rAnkle, 0.046, 0.029, tights, "hips"),
      seg(J.lAnkle, J.lFoot, 0.031, 0.022, satin, "hips", 0.045),
      seg(J.rAnkle, J.rFoot, 0.031, 0.022, satin, "hips", 0.045),
      seg(J.lShoulder, J.lElbow, 0.038, 0.03, skin, "shoulders"),
      seg(J.rShoulder, J.rElbow, 0.038, 0.03, skin, "shoulders"),
      seg(J.lElbow, J.lWrist, 0.03, 0.021, skin, "shoulders"),
      seg(J.rElbow, J.rWrist, 0.03, 0.021, skin, "shoulders"),
      seg(J.lWrist, J.lHand, 0.021, 0.014, skin, "shoulders", 0.04),
      seg(J.rWrist, J.rHand, 0.021, 0.014, skin, "shoulders", 0.04),
    ];
    for (const segment of list) {
      const length = this.boneLength(segment.a, segment.b) + segment.extend;
      const mesh = new THREE.Mesh(taperedCapsule(length, segment.r1, segment.r2), segment.material);
      this.addPart(mesh);
      this.segments.push({ seg: segment, mesh });
    }
    const sphere = new THREE.SphereGeometry(1, 24, 16);
    this.pelvis = this.addPart(new THREE.Mesh(sphere, leotard));
    this.tutu = this.addPart(new THREE.Mesh(tutuGeometry(s), tulle));
    this.head = this.addPart(new THREE.Mesh(sphere, skin));
    this.hair = this.addPart(new THREE.Mesh(sphere, hair));
    this.bun = this.addPart(new THREE.Mesh(sphere, hair));
    // The pointe shoes' ribbons, wrapped round each ankle.
    const ribbon = new THREE.TorusGeometry(0.036 * s, 0.006 * s, 6, 20);
    ribbon.rotateX(Math.PI / 2);
    this.ribbons = [0, 1].map(() => this.addPart(new THREE.Mesh(ribbon, satin)));
  }

  private addPart(mesh: THREE.Mesh): THREE.Mesh {
    mesh.matrixAutoUpdate = false;
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    this.group.add(mesh);
    return mesh;
  }

  /** Median distance between two points over the dance (bones are rigid; quantisation is not). */
  private boneLength(a: number, b: number): number {
    const m = this.motion;
    const step = Math.max(1, Math.floor(m.frames / 101));
    const values: number[] = [];
    for (let f = 0; f < m.frames; f += step) {
      const o = f * POINTS * 3;
      const p = m.positions;
      values.push(Math.hypot(p[o + b * 3] - p[o + a * 3], p[o + b * 3 + 1] - p[o + a * 3 + 1],
        p[o + b * 3 + 2] - p[o + a * 3 + 2]));
    }
    values.sort((x, y) => x - y);
    return values[values.length >> 1];
  }

  point(i: number, out: THREE.Vector3): THREE.Vector3 {
    return out.set(this.points[i * 3], this.points[i * 3 + 1], this.points[i * 3 + 2]);
  }

  /** Body-left direction of the hips or the shoulders. */
  private side(frame: Frame, out: THREE.Vector3): THREE.Vector3 {
    const [l, r] = frame === "hips" ? [J.lHip, J.rHip] : [J.lShoulder, J.rShoulder];
    return this.point(l, out).sub(this.point(r, v2));
  }

  /** Set ``matrix`` to a frame at ``origin`` whose +Y is ``up`` and +X as near ``left`` as can be. */
  private static place(matrix: THREE.Matrix4, origin: THREE.Vector3, up: THREE.Vector3,
    left: THREE.Vector3, sx: number, sy: number, sz: number): void {
    vy.copy(up).normalize();
    vx.copy(left).addScaledVector(vy, -left.dot(vy));
    if (vx.lengthSq() < 1e-8) vx.set(vy.y, -vy.x, 0).add(new THREE.Vector3(0, 0, 1e-3));
    vx.normalize();
    vz.crossVectors(vx, vy).normalize();
    matrix.makeBasis(vx.multiplyScalar(sx), vy.multiplyScalar(sy), vz.multiplyScalar(sz));
    matrix.setPosition(origin);
  }

  update(t: number): void {
    this.motion.sample(t, this.points);
    const left = new THREE.Vector3();
    const a = new THREE.Vector3();
    const b = new THREE.Vector3();
    for (const { seg, mesh } of this.segments) {
      this.point(seg.a, a);
      this.point(seg.b, b);
      this.side(seg.frame, left);
      Dancer.place(mesh.matrix, a, b.sub(a), left, 1, 1, seg.flatten);
      mesh.matrixWorldNeedsUpdate = true;
    }
    const s = this.scale;
    // Pelvis and tutu, in the frame of the hips.
    const hipsMid = this.point(J.lHip, a).add(this.point(J.rHip, b)).multiplyScalar(0.5);
    const up = this.point(J.spine1, v1).sub(this.point(J.pelvis, b));
    this.side("hips", left);
    const centre = this.point(J.pelvis, b).lerp(hipsMid, 0.45);
    Dancer.place(this.pelvis.matrix, centre, up, left, 0.152 * s, 0.11 * s, 0.105 * s);
    const waist = hipsMid.clone().addScaledVector(up.clone().normalize(), 0.035 * s);
    Dancer.place(this.tutu.matrix, waist, up, left, 1, 1, 1);
    // Head: up along the neck, facing the point in front of the face.
    const neck = this.point(J.neck, a);
    const head = this.point(J.head, b);
    const headUp = head.clone().sub(neck).normalize();
    const forward = this.point(J.face, v1).sub(head);
    forward.addScaledVector(headUp, -forward.dot(headUp)).normalize();
    const headLeft = new THREE.Vector3().crossVectors(headUp, forward);
    const headCentre = head.clone().addScaledVector(headUp, 0.03 * s).addScaledVector(forward, 0.012 * s);
    Dancer.place(this.head.matrix, headCentre, headUp, headLeft, 0.08 * s, 0.1 * s, 0.09 * s);
    const hairCentre = headCentre.clone().addScaledVector(forward, -0.014 * s).addScaledVector(headUp, 0.012 * s);
    Dancer.place(this.hair.matrix, hairCentre, headUp, headLeft, 0.083 * s, 0.099 * s, 0.088 * s);
    const bunCentre = headCentre.clone().addScaledVector(forward, -0.085 * s).addScaledVector(headUp, 0.05 * s);
    Dancer.place(this.bun.matrix, bunCentre, headUp, headLeft, 0.042 * s, 0.04 * s, 0.036 * s);
    // Ribbons: round the shin just above the ankle, square to it.
    [[J.lKnee, J.lAnkle], [J.rKnee, J.rAnkle]].forEach(([knee, ankle], k) => {
      const ankleAt = this.point(ankle, a);
      const shin = this.point(knee, b).sub(ankleAt);
      const at = ankleAt.clone().addScaledVector(shin.clone().normalize(), 0.035 * s);
      Dancer.place(this.ribbons[k].matrix, at, shin, this.side("hips", left), 1, 1, 1);
    });
    for (const m of [this.pelvis, this.tutu, this.head, this.hair, this.bun, ...this.ribbons]) {
      m.matrixWorldNeedsUpdate = true;
    }
    this.headTop.copy(headCentre).addScaledVector(headUp, 0.1 * s);
  }
}
