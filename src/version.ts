/** meshgate's version, reported in results and by `meshgate --version`. Keep in step with package.json. */
export const MESHGATE_VERSION = '0.1.0';
