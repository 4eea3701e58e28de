/**
 * The error function erf(x) to full double precision, after W. J. Cody, "Rational Chebyshev
 * approximations for the error function" (Math. Comp. 1969): three rational approximations on
 * |x| ≤ 0.46875, ≤ 4 and > 4. JavaScript has no Math.erf, and GELU needs an exact one.
 */
const A = [
  3.1611237438705656, 113.86415415105016, 377.48523768530202, 3209.3775891384695, 0.18577770618460315,
];
const B = [23.601290952344121, 244.02463793444417, 1282.6165260773723, 2844.2368334391706];
const C = [
  0.56418849698867009, 8.8831497943883759, 66.11919063714163, 298.63513819740013, 881.95222124176909,
  1712.0476126340706, 2051.0783778260715, 1230.3393547979973, 2.1531153547440385e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.18110186200986, 1621.3895745666902, 3290.7992357334596,
  4362.6190901432472, 3439.3676741437216, 1230.3393548037494,
];
const P = [
  0.30532663496123234, 0.36034489994980444, 0.12578172611122925, 0.016083785148742277, 6.587491615298378e-4,
  0.016315387137302098,
];
const Q = [
  2.5685201922898224, 1.8729528499234605, 0.52790510295142841, 0.060518341312441319, 2.3352049762686918e-3,
];
const RSQRTPI = 0.56418958354775628;

/** erfc(y)·exp(y²) for y > 0.46875, the part both larger intervals share. */
function scaledErfc(y: number): number {
  let num: number;
  let den: number;
  if (y <= 4) {
    num = C[8]! * y;
    den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]!) / (den + D[7]!);
  }
  const z = 1 / (y * y);
  num = P[5]! * z;
  den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * z;
    den = (den + Q[i]!) * z;
  }
  return (RSQRTPI - (z * (num + P[4]!)) / (den + Q[4]!)) / y;
}

export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y * y;
    let num = A[4]! * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * z;
      den = (den + B[i]!) * z;
    }
    return (x * (num + A[3]!)) / (den + B[3]!);
  }
  if (y >= 6) return x > 0 ? 1 : x < 0 ? -1 : x; // erfc(6) < 3e-17: erf rounds to ±1 (NaN passes through)
  // exp(-y²) split as exp(-ŷ²)·exp(-(y-ŷ)(y+ŷ)) with ŷ = y rounded to 1/16, to keep its accuracy.
  const rounded = Math.trunc(y * 16) / 16;
  const erfc = Math.exp(-rounded * rounded) * Math.exp(-(y - rounded) * (y + rounded)) * scaledErfc(y);
  const result = 0.5 - erfc + 0.5;
  return x < 0 ? -result : result;
}
