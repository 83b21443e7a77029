/** Busy, error and notice lines for a view: errors are sentences, announced to screen readers. */
export function Messages(props: { busy?: string | null; error?: string | null; notice?: string | null }) {
  return (
    <>
      {props.busy && (
        <p className="busy" role="status">
          <span className="spinner" aria-hidden="true" /> {props.busy}…
        </p>
      )}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
    </>
  );
}
