// The 3D view: renderer, scene and the four cameras.
//
// - audience: from the middle of the house, a little above the stage (the default);
// - top: straight down, audience at the bottom of the screen, with each dancer's floor pattern;
// - mirror: the audience view flipped left to right, as the dancers see themselves in a studio
//   mirror (their right hand on the right of the picture);
// - orbit: free camera (drag to turn, wheel to zoom, right-drag to pan).
import * as THREE from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";

export type CameraMode = "audience" | "top" | "mirror" | "orbit";
export const CAMERA_MODES: readonly CameraMode[] = ["audience", "top", "mirror", "orbit"];

export class View {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly perspective = new THREE.PerspectiveCamera(36, 1, 0.1, 200);
  readonly top = new THREE.OrthographicCamera(-1, 1, 1, -1, 0.1, 100);
  readonly controls: OrbitControls;
  private readonly orbitCamera = new THREE.PerspectiveCamera(36, 1, 0.1, 200);
  private readonly widthM: number;
  private readonly depthM: number;
  private widthPx = 1;
  private heightPx = 1;
  mode: CameraMode = "audience";
  onModeChange: (mode: CameraMode) => void = () => {};
  dirty = true;

  constructor(canvas: HTMLCanvasElement, widthM: number, depthM: number) {
    this.widthM = widthM;
    this.depthM = depthM;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = THREE.PCFShadowMap;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;
    this.renderer.toneMappingExposure = 1.05;
    this.scene.background = new THREE.Color("#0b0b10");
    this.top.up.set(0, 0, -1);
    this.top.position.set(0, 30, 0);
    this.top.lookAt(0, 0, 0);
    this.controls = new OrbitControls(this.orbitCamera, canvas);
    this.controls.target.set(0, 0.9, 0);
    this.controls.maxPolarAngle = Math.PI / 2 - 0.03;
    this.controls.minDistance = 2;
    this.controls.maxDistance = 40;
    this.controls.enabled = false;
    this.controls.addEventListener("change", () => {
      this.dirty = true;
    });
  }

  get camera(): THREE.Camera {
    if (this.mode === "top") return this.top;
    if (this.mode === "orbit") return this.orbitCamera;
    return this.perspective;
  }

  setMode(mode: CameraMode): void {
    if (mode === "orbit" && this.mode !== "orbit") {
      // Start turning from wherever the audience sits.
      this.orbitCamera.position.copy(this.perspective.position);
      this.controls.target.set(0, 0.9, 0);
      this.controls.update();
    }
    this.mode = mode;
    this.controls.enabled = mode === "orbit";
    this.renderer.domElement.style.transform = mode === "mirror" ? "scaleX(-1)" : "";
    this.dirty = true;
    this.onModeChange(mode);
  }

  resize(widthPx: number, heightPx: number): void {
    this.widthPx = Math.max(1, widthPx);
    this.heightPx = Math.max(1, heightPx);
    this.renderer.setSize(this.widthPx, this.heightPx, false);
    const aspect = this.widthPx / this.heightPx;
    for (const cam of [this.perspective, this.orbitCamera]) {
      cam.aspect = aspect;
      cam.updateProjectionMatrix();
    }
    this.placeAudience(aspect);
    // Top: the floor, the wings and the first rows of the house, whole.
    const needW = this.widthM + 4.4;
    const needD = this.depthM + 3.4;
    const zCentre = 1.1;
    let halfW = needW / 2;
    let halfD = needD / 2;
    if (halfW / halfD > aspect) halfD = halfW / aspect;
    else halfW = halfD * aspect;
    this.top.left = -halfW;
    this.top.right = halfW;
    this.top.top = halfD;
    this.top.bottom = -halfD;
    this.top.position.set(0, 30, zCentre);
    this.top.lookAt(0, 0, zCentre);
    this.top.updateProjectionMatrix();
    this.dirty = true;
  }

  /** Seat the audience camera as close as it can be with the whole floor and wing edges in view. */
  private placeAudience(aspect: number): void {
    const cam = this.perspective;
    const halfW = this.widthM / 2;
    const halfD = this.depthM / 2;
    const target = new THREE.Vector3(0, 0.7, -0.1 * this.depthM);
    const elevation = THREE.MathUtils.degToRad(17);
    const corners = [
      new THREE.Vector3(-halfW - 0.35, 0, halfD + 0.5), new THREE.Vector3(halfW + 0.35, 0, halfD + 0.5),
      new THREE.Vector3(-halfW, 2.3, -halfD), new THREE.Vector3(halfW, 2.3, -halfD),
    ];
    const p = new THREE.Vector3();
    for (let distance = 4; distance < 200; distance += 0.1) {
      cam.position.set(0, target.y + distance * Math.sin(elevation), target.z + distance * Math.cos(elevation));
      cam.lookAt(target);
      cam.updateMatrixWorld();
      const fits = corners.every((c) => {
        p.copy(c).project(cam);
        return Math.abs(p.x) <= 0.97 && p.y >= -0.97 && p.y <= 0.8;
      });
      if (fits) break;
    }
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
    this.dirty = false;
  }

  /** Where a world point lands on the canvas, in CSS pixels from its top-left (mirror-aware). */
  project(point: THREE.Vector3): { x: number; y: number; inFront: boolean } {
    const cam = this.camera;
    cam.updateMatrixWorld();
    const p = point.clone().project(cam);
    let x = ((p.x + 1) / 2) * this.widthPx;
    const y = ((1 - p.y) / 2) * this.heightPx;
    if (this.mode === "mirror") x = this.widthPx - x;
    return { x, y, inFront: p.z > -1 && p.z < 1 };
  }
}
