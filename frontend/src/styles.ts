// Shared look: Home Assistant's theme variables, so light and dark themes both fit.
import { css } from "lit";

export const shared = css`
  :host {
    color: var(--primary-text-color);
    font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, Roboto, sans-serif));
  }
  ha-card,
  .card {
    display: block;
    background: var(--ha-card-background, var(--card-background-color, #fff));
    border-radius: var(--ha-card-border-radius, 12px);
    border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color, #e0e0e0));
    box-shadow: var(--ha-card-box-shadow, none);
    color: var(--primary-text-color);
    margin-bottom: 16px;
  }
  .card-content {
    padding: 16px;
  }
  h1,
  h2,
  h3 {
    font-weight: 500;
    margin: 0 0 8px;
  }
  h2 {
    font-size: 20px;
  }
  h3 {
    font-size: 16px;
  }
  .secondary {
    color: var(--secondary-text-color);
  }
  .mono {
    font-family: var(--ha-font-family-code, monospace);
    font-size: 0.9em;
    word-break: break-all;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    border-radius: 12px;
    padding: 2px 10px;
    font-size: 13px;
    font-weight: 500;
    line-height: 20px;
    white-space: nowrap;
  }
  .badge.ok {
    background: rgba(var(--rgb-success-color, 67, 160, 71), 0.15);
    color: var(--success-color, #43a047);
  }
  .badge.warn {
    background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.15);
    color: var(--warning-color, #ffa600);
  }
  .badge.bad {
    background: rgba(var(--rgb-error-color, 219, 68, 55), 0.15);
    color: var(--error-color, #db4437);
  }
  .badge.info {
    background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.15);
    color: var(--primary-color, #03a9f4);
  }
  dl.facts {
    display: grid;
    grid-template-columns: minmax(120px, max-content) 1fr;
    gap: 8px 16px;
    margin: 0;
  }
  dl.facts dt {
    color: var(--secondary-text-color);
  }
  dl.facts dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: flex-end;
    padding: 8px 16px 16px;
  }
  .notice {
    border-radius: 8px;
    padding: 12px 16px;
    margin-bottom: 16px;
    border-left: 4px solid var(--primary-color);
    background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.08);
  }
  .notice.error {
    border-color: var(--error-color, #db4437);
    background: rgba(var(--rgb-error-color, 219, 68, 55), 0.08);
  }
  .notice.warn {
    border-color: var(--warning-color, #ffa600);
    background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.1);
  }
  .notice.ok {
    border-color: var(--success-color, #43a047);
    background: rgba(var(--rgb-success-color, 67, 160, 71), 0.1);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 8px;
    border-bottom: 1px solid var(--divider-color, #e0e0e0);
    vertical-align: top;
  }
  th {
    color: var(--secondary-text-color);
    font-weight: 500;
  }
  a {
    color: var(--primary-color);
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    color: var(--primary-color);
    font: inherit;
    cursor: pointer;
    text-align: left;
  }
`;

export const controls = css`
  label.toggle {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 40px;
    cursor: pointer;
  }
  button.btn {
    font: inherit;
    font-weight: 500;
    border-radius: 18px;
    padding: 0 16px;
    height: 36px;
    cursor: pointer;
    border: 1px solid var(--primary-color);
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
  }
  button.btn.plain,
  button.btn.outlined {
    background: transparent;
    color: var(--primary-color);
  }
  button.btn.plain {
    border-color: transparent;
  }
  button.btn.danger {
    border-color: var(--error-color, #db4437);
    background: var(--error-color, #db4437);
  }
  button.btn.danger.plain,
  button.btn.danger.outlined {
    background: transparent;
    color: var(--error-color, #db4437);
  }
  button.btn[disabled] {
    opacity: 0.5;
    cursor: default;
  }
`;
