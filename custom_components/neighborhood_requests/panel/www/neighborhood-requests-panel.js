customElements.define("neighborhood-requests-panel", class extends HTMLElement {});
