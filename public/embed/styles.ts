// The host page's own rules for the container element beat :host rules, so inherited text styles
// (font, letter-spacing, line-height...) are reset with `all: initial` on .root, which only this
// stylesheet can reach. Custom properties survive it, so a page may set --padlock-accent.
const css = `
:host{display:block}
*,::before,::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{all:initial;display:block;--a:var(--padlock-accent,#2f5bd3);--b:#d0d7de;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff;padding:1rem;border-radius:12px}
.top{display:flex;justify-content:space-between;align-items:center;gap:.5rem;padding-bottom:.5rem;margin-bottom:1rem;border-bottom:1px solid var(--b)}
h2{font-size:1.3rem;margin:0 0 1rem}h2:focus{outline:0}
h3{font-size:1rem;margin:0;overflow-wrap:anywhere}
p{margin:0 0 .75rem}
button{font:inherit;cursor:pointer;border-radius:6px;padding:.4em .9em;border:1px solid var(--a);background:var(--a);color:#fff}
button.alt{background:#fff;color:var(--a)}
button.link{border:0;background:none;color:var(--a);padding:.25em 0;text-decoration:underline}
button:disabled{cursor:not-allowed;opacity:.5}
button:focus-visible,input:focus-visible,.card:focus-visible{outline:2px solid var(--a);outline-offset:2px}
input{font:inherit;width:4.5em;padding:.3em .4em;border:1px solid #8c959f;border-radius:6px;color:inherit;background:#fff}
label{display:inline-flex;align-items:center;gap:.4em}
ul{list-style:none;margin:0;padding:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,190px),1fr));gap:1rem}
.card{display:flex;flex-direction:column;gap:.4rem;padding:.75rem;border:1px solid var(--b);border-radius:10px;cursor:pointer}
.card:hover{border-color:var(--a)}
.img{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;border-radius:6px;background:#eef1f4}
.price{font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.card .row{margin-top:auto}
.out{color:#9a3412;font-size:.9em}
.desc{white-space:pre-line}
[aria-busy=true]{cursor:progress;opacity:.7}
.product{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,260px),1fr));align-items:start;margin:1rem 0}
.line{display:grid;grid-template-columns:64px minmax(0,1fr) auto;gap:.75rem;align-items:center;padding:.75rem 0;border-bottom:1px solid var(--b)}
.sum{display:flex;justify-content:space-between;font-weight:600;font-size:1.1em;margin:1rem 0}
.error{color:#b42318;background:#fef3f2;border:1px solid #fecdca;border-radius:6px;padding:.5rem .75rem;margin:0 0 1rem}
.notice{color:#05603a;margin:0 0 1rem}
.error:empty,.notice:empty{display:none}
.muted{color:#57606a}
`;

let shared: CSSStyleSheet | undefined;

/**
 * Gives a widget's shadow root its styles. A constructed stylesheet is used where the browser
 * supports it because CSP `style-src` does not apply to it, so the widget also works on pages
 * without 'unsafe-inline'; older browsers get a `<style>` element instead.
 */
export function applyStyles(shadow: ShadowRoot): void {
  if ('adoptedStyleSheets' in shadow && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(css);
    }
    shadow.adoptedStyleSheets = [shared];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    shadow.append(style);
  }
}
