// njs from outside the profile's folder.
function f(r) { return 'x'; }
export default { f };
