/** A short French description of a browser, for people to recognise their own sessions. */
export function describeUserAgent(ua: string | null): string {
  if (!ua) return 'Navigateur inconnu';
  const browser =
    /Edg\//.test(ua) ? 'Edge' :
    /OPR\//.test(ua) ? 'Opera' :
    /Firefox\//.test(ua) ? 'Firefox' :
    /Chrom(e|ium)\//.test(ua) ? 'Chrome' :
    /Safari\//.test(ua) ? 'Safari' : 'Navigateur';
  const system =
    /Windows/.test(ua) ? 'Windows' :
    /Android/.test(ua) ? 'Android' :
    /iPhone|iPad/.test(ua) ? 'iOS' :
    /Mac OS X/.test(ua) ? 'macOS' :
    /Linux/.test(ua) ? 'Linux' : null;
  return system ? `${browser} sur ${system}` : browser;
}
