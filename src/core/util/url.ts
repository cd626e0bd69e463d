/**
 * A target URL may carry a user and password (`http://user:secret@host`). Whatever prints a URL
 * prints it without them, and whatever redacts learns the password as a secret.
 */

/** The URL without the user and password it may carry (`http://user:secret@host` -> `http://host`). */
export function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    // Not a URL: it is what the user typed, and the run refused it before any report.
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}

/** The password of a URL, raw and percent-encoded, for a redactor (none: empty). */
export function urlSecrets(url: string): string[] {
  try {
    const { password } = new URL(url);
    return password === '' ? [] : [...new Set([password, decodeURIComponent(password)])];
  } catch {
    return [];
  }
}
