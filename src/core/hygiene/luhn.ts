// Luhn (mod 10) check, the checksum every payment card number carries. A
// digit run that passes it is far more likely to be a real PAN than noise.
const ALL_DIGITS = /^[0-9]+$/;

export function luhnValid(digits: string): boolean {
  if (!ALL_DIGITS.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
