// The stage: a dark dance floor with the nine areas faintly marked, wings (legs) on both sides,
// a cyclorama upstage, and the audience edge downstage (apron, footlights, the first rows).
//
// Everything here is grey or only slightly tinted: the dancers' colours are the only strong
// colours on stage, so each reads at a glance.
//
// World axes are pointe's: metres, Y up, the audience at +Z, origin at the centre of the floor,
// +X the audience's right (stage left).
import * as THREE from "three";

export interface Stage {
  group: THREE.Group;
  /** Letter the floor for a camera: mirror image for the mirror view (it flips the whole
   * picture), the wings named only from above. */
  setView(mirrored: boolean, fromAbove: boolean): void;
}

const FLOOR = "#2b2a30";
const AREA_LINE = "rgba(205, 200, 220, 0.16)";
const AREA_TEXT = "rgba(225, 220, 240, 0.13)";

// The nine areas, upstage row first, stage right (the audience's left, -X) first.
const AREAS = [
  ["USR", "USC", "USL"],
  ["SR", "C", "SL"],
  ["DSR", "DSC", "DSL"],
];

function floorTexture(widthM: number, depthM: number, mirrored: boolean): THREE.CanvasTexture {
  const pxPerM = 160;
  const w = Math.round(widthM * pxPerM);
  const h = Math.round(depthM * pxPerM);
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext("2d")!;
  g.fillStyle = FLOOR;
  g.fillRect(0, 0, w, h);
  // Marley laid in strips from upstage to downstage.
  g.fillStyle = "rgba(255, 255, 255, 0.018)";
  const strip = 1.6 * pxPerM;
  for (let x = 0, k = 0; x < w; x += strip, k++) if (k % 2) g.fillRect(x, 0, strip, h);
  g.strokeStyle = "rgba(0, 0, 0, 0.35)";
  g.lineWidth = 2;
  for (let x = strip; x < w; x += strip) {
    g.beginPath();
    g.moveTo(x, 0);
    g.lineTo(x, h);
    g.stroke();
  }
  // The nine areas.
  g.strokeStyle = AREA_LINE;
  g.lineWidth = 4;
  g.setLineDash([28, 20]);
  for (const f of [1 / 3, 2 / 3]) {
    g.beginPath();
    g.moveTo(f * w, 0);
    g.lineTo(f * w, h);
    g.moveTo(0, f * h);
    g.lineTo(w, f * h);
    g.stroke();
  }
  g.setLineDash([]);
  // Centre mark.
  g.strokeStyle = "rgba(225, 220, 240, 0.3)";
  g.lineWidth = 5;
  const c = 0.22 * pxPerM;
  g.beginPath();
  g.moveTo(w / 2 - c, h / 2);
  g.lineTo(w / 2 + c, h / 2);
  g.moveTo(w / 2, h / 2 - c);
  g.lineTo(w / 2, h / 2 + c);
  g.stroke();
  g.fillStyle = AREA_TEXT;
  g.font = `600 ${Math.round(0.36 * pxPerM)}px system-ui, sans-serif`;
  g.textAlign = "center";
  g.textBaseline = "middle";
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const x = ((col + 0.5) / 3) * w;
      const y = ((row + 0.5) / 3) * h + (row === 1 && col === 1 ? 0.45 * pxPerM : 0);
      g.save();
      g.translate(x, y);
      if (mirrored) g.scale(-1, 1);
      g.fillText(AREAS[row][col], 0, 0);
      g.restore();
    }
  }
  // The audience edge: a bright strip of tape along the front of the floor.
  g.fillStyle = "rgba(240, 225, 170, 0.55)";
  g.fillRect(0, h - 0.05 * pxPerM, w, 0.05 * pxPerM);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.anisotropy = 8;
  return texture;
}

function apronTexture(widthM: number, mirrored: boolean): THREE.CanvasTexture {
  const pxPerM = 100;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round((widthM + 1.2) * pxPerM);
  canvas.height = Math.round(0.7 * pxPerM);
  const g = canvas.getContext("2d")!;
  g.fillStyle = "#1d1b1f";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "rgba(225, 220, 240, 0.28)";
  g.font = `600 ${Math.round(0.2 * pxPerM)}px system-ui, sans-serif`;
  g.textAlign = "center";
  g.textBaseline = "middle";
  g.save();
  g.translate(canvas.width / 2, canvas.height * 0.55);
  if (mirrored) g.scale(-1, 1);
  g.fillText("A U D I E N C E", 0, 0);
  g.restore();
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  return texture;
}

/** The wing floor with its name written along it, read from the stage. */
function wingTexture(name: string, widthM: number, depthM: number, side: number): THREE.CanvasTexture {
  const pxPerM = 80;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(widthM * pxPerM);
  canvas.height = Math.round(depthM * pxPerM);
  const g = canvas.getContext("2d")!;
  g.fillStyle = "#1c1b20";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "rgba(225, 220, 240, 0.22)";
  g.font = `600 ${Math.round(0.26 * pxPerM)}px system-ui, sans-serif`;
  g.textAlign = "center";
  g.textBaseline = "middle";
  g.save();
  g.translate(canvas.width / 2, canvas.height / 2);
  g.rotate((side < 0 ? -1 : 1) * Math.PI / 2);
  g.fillText(name.split("").join(" "), 0, 0);
  g.restore();
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  return texture;
}

function cycloramaTexture(): THREE.CanvasTexture {
  const canvas = document.createElement("canvas");
  canvas.width = 8;
  canvas.height = 256;
  const g = canvas.getContext("2d")!;
  const grad = g.createLinearGradient(0, 0, 0, 256);
  grad.addColorStop(0, "#08090e");
  grad.addColorStop(0.55, "#1b1f30");
  grad.addColorStop(1, "#3b4260");
  g.fillStyle = grad;
  g.fillRect(0, 0, 8, 256);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  return texture;
}

export function buildStage(widthM: number, depthM: number): Stage {
  const group = new THREE.Group();
  const halfW = widthM / 2;
  const halfD = depthM / 2;
  const wingM = 2.4;
  const apronM = 0.7;
  const pitY = -1.1;

  const textures = [floorTexture(widthM, depthM, false), floorTexture(widthM, depthM, true)];
  const floorMaterial = new THREE.MeshStandardMaterial({ map: textures[0], roughness: 0.82, metalness: 0 });
  const floor = new THREE.Mesh(new THREE.PlaneGeometry(widthM, depthM), floorMaterial);
  floor.rotation.x = -Math.PI / 2;
  floor.receiveShadow = true;
  group.add(floor);

  // Wing floor on both sides, a little darker than the dance floor, named.
  const wingMaterial = new THREE.MeshStandardMaterial({ color: "#1c1b20", roughness: 0.9 });
  const wingMaterials = new Map<number, THREE.MeshStandardMaterial[]>();
  for (const side of [-1, 1]) {
    const name = side < 0 ? "STAGE RIGHT WING" : "STAGE LEFT WING";
    const mats = [new THREE.MeshStandardMaterial({
      map: wingTexture(name, wingM, depthM + apronM, side), roughness: 0.9,
    })];
    wingMaterials.set(side, mats);
    const wing = new THREE.Mesh(new THREE.PlaneGeometry(wingM, depthM + apronM), wingMaterial);
    wing.rotation.x = -Math.PI / 2;
    wing.position.set(side * (halfW + wingM / 2), -0.002, apronM / 2);
    wing.name = `wing${side}`;
    wing.receiveShadow = true;
    group.add(wing);
  }

  // Apron and its front face, dropping to the house.
  const apronTextures = [apronTexture(widthM, false), apronTexture(widthM, true)];
  const apronMaterial = new THREE.MeshStandardMaterial({ map: apronTextures[0], roughness: 0.9 });
  const apron = new THREE.Mesh(new THREE.PlaneGeometry(widthM + 1.2, apronM), apronMaterial);
  apron.rotation.x = -Math.PI / 2;
  apron.position.set(0, 0, halfD + apronM / 2);
  apron.receiveShadow = true;
  group.add(apron);
  const lip = new THREE.Mesh(
    new THREE.PlaneGeometry(widthM + 2 * wingM, -pitY),
    new THREE.MeshStandardMaterial({ color: "#121114", roughness: 1 }),
  );
  lip.position.set(0, pitY / 2, halfD + apronM);
  group.add(lip);

  // Footlights along the audience edge.
  const footMaterial = new THREE.MeshStandardMaterial({
    color: "#2a2620", emissive: "#ffe6c2", emissiveIntensity: 0.5, roughness: 0.6,
  });
  const footGeometry = new THREE.BoxGeometry(0.22, 0.04, 0.06);
  const nFoot = Math.max(3, Math.round(widthM / 0.9));
  for (let i = 0; i < nFoot; i++) {
    const light = new THREE.Mesh(footGeometry, footMaterial);
    light.position.set(-halfW + (widthM * (i + 0.5)) / nFoot, 0.025, halfD + apronM - 0.1);
    group.add(light);
  }

  // The house: a dark floor and the first rows of seats, raked.
  const house = new THREE.Mesh(
    new THREE.PlaneGeometry(widthM + 2 * wingM, 9),
    new THREE.MeshStandardMaterial({ color: "#0e0d10", roughness: 1 }),
  );
  house.rotation.x = -Math.PI / 2;
  house.position.set(0, pitY, halfD + apronM + 4.5);
  group.add(house);
  const seatMaterial = new THREE.MeshStandardMaterial({ color: "#302629", roughness: 0.95 });
  for (let row = 0; row < 4; row++) {
    for (const side of [-1, 1]) {
      const span = halfW - 0.7;
      const seat = new THREE.Mesh(new THREE.BoxGeometry(span, 0.5, 0.5), seatMaterial);
      seat.position.set(side * (0.6 + span / 2), pitY + 0.25 + row * 0.12, halfD + apronM + 1.0 + row * 0.95);
      group.add(seat);
    }
  }

  // Legs: the soft black masking flats that make the wings, four a side.
  const legMaterial = new THREE.MeshStandardMaterial({ color: "#15151c", roughness: 1 });
  const legGeometry = new THREE.BoxGeometry(1.7, 6.5, 0.06);
  for (let k = 0; k < 4; k++) {
    const z = -halfD + 0.15 + ((depthM - 0.3) * k) / 3;
    for (const side of [-1, 1]) {
      const leg = new THREE.Mesh(legGeometry, legMaterial);
      leg.position.set(side * (halfW + 0.25 + 0.85), 3.25, z);
      group.add(leg);
    }
  }

  // The cyclorama upstage.
  const cyc = new THREE.Mesh(
    new THREE.PlaneGeometry(widthM + 2 * wingM + 2, 8),
    new THREE.MeshBasicMaterial({ map: cycloramaTexture(), toneMapped: false }),
  );
  cyc.position.set(0, 4, -halfD - 0.8);
  group.add(cyc);
  const upstageFloor = new THREE.Mesh(new THREE.PlaneGeometry(widthM + 2 * wingM, 0.8), wingMaterial);
  upstageFloor.rotation.x = -Math.PI / 2;
  upstageFloor.position.set(0, -0.002, -halfD - 0.4);
  group.add(upstageFloor);

  return {
    group,
    setView(mirrored: boolean, fromAbove: boolean) {
      floorMaterial.map = textures[mirrored ? 1 : 0];
      for (const side of [-1, 1]) {
        const mesh = group.getObjectByName(`wing${side}`) as THREE.Mesh;
        mesh.material = fromAbove ? wingMaterials.get(side)![0] : wingMaterial;
      }
      apronMaterial.map = apronTextures[mirrored ? 1 : 0];
      floorMaterial.needsUpdate = true;
      apronMaterial.needsUpdate = true;
    },
  };
}

export function addLights(scene: THREE.Scene, widthM: number, depthM: number): THREE.DirectionalLight {
  scene.add(new THREE.HemisphereLight("#c9d2ff", "#1a1614", 1.1));
  // Front of house: warm, from above the audience, casting the dancers' shadows upstage.
  const key = new THREE.DirectionalLight("#fff1de", 2.3);
  key.position.set(2.5, 9, depthM / 2 + 9);
  key.target.position.set(0, 0, 0);
  key.castShadow = true;
  key.shadow.mapSize.set(2048, 2048);
  const cam = key.shadow.camera;
  const r = Math.max(widthM, depthM) * 0.75;
  cam.left = -r;
  cam.right = r;
  cam.top = r;
  cam.bottom = -r;
  cam.near = 1;
  cam.far = 40;
  key.shadow.bias = -0.0004;
  key.shadow.normalBias = 0.02;
  scene.add(key, key.target);
  // Side light from the wings ("booms"), cool from stage right, warm from stage left.
  const left = new THREE.DirectionalLight("#9fb4ff", 0.8);
  left.position.set(-10, 3.5, 1);
  const right = new THREE.DirectionalLight("#ffc9a0", 0.7);
  right.position.set(10, 3.5, 1);
  scene.add(left, right);
  return key;
}
