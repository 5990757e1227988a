"""The mechanisms that keep `check` and `plan` as fast as before: the evaluation memo (run.memo),
the compiled-template cache (output.templating) and the batch's collector setting
(api.checking). Each must be invisible: the same answers, nothing carried where it must not go."""

from __future__ import annotations

import gc
import threading

from qunce.engine.api.checking import GC_YOUNG, fewer_collections
from qunce.engine.output import templating
from qunce.engine.run.memo import remembered, remembering


def _counting():
    calls: list[tuple] = []

    @remembered
    def fn(*args, **kwargs):
        calls.append(args)
        return [len(calls)]

    return fn, calls


def test_memo_answers_once_per_evaluation_and_never_outside_one():
    fn, calls = _counting()
    plan = {"a": 1}
    assert (fn(plan, "x"), fn(plan, "x")) == ([1], [2])  # outside: nothing remembered...
    with remembering():
        first = fn(plan, "x")
        assert fn(plan, "x") is first and len(calls) == 3  # ...inside: asked once
        assert fn({"a": 1}, "x") is not first  # an equal but other record is another question
    with remembering():  # a new evaluation starts empty
        assert fn(plan, "x") is not first


def test_memo_keeps_kinds_of_values_apart_and_skips_what_it_cannot_key():
    fn, calls = _counting()
    with remembering():
        answers = [fn(1), fn(True), fn(1.0), fn("1"), fn(None)]
        assert len({id(a) for a in answers}) == 5
        gen_arg = (x for x in ())
        fn(gen_arg), fn(gen_arg)  # not plain data: asked each time
        assert len(calls) == 7
        fn(1, kind="campaign"), fn(1, kind="campaign")  # keyword arguments are not remembered
        assert len(calls) == 9


def test_memo_holds_its_arguments_so_an_identity_cannot_be_reused():
    fn, calls = _counting()
    with remembering():
        first = fn([1, 2])  # the list is dropped by the caller, but the memo keeps it alive...
        second = fn([3, 4])  # ...so this new list cannot take its id and be given its answer
        assert first != second and len(calls) == 2


def test_memo_belongs_to_one_thread():
    fn, calls = _counting()
    plan: dict = {}
    seen: list = []
    with remembering():
        mine = fn(plan)
        worker = threading.Thread(target=lambda: seen.append(fn(plan)))
        worker.start()
        worker.join()
    assert seen[0] is not mine and len(calls) == 2


def test_compiled_templates_are_reused_across_environments_and_recompiled_when_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(templating, "_CODE_CACHE", templating._CompiledTemplates())
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "x.md.j2").write_text("{{ n }} 个群\n", encoding="utf-8")
    compiled: list[str] = []

    def env(fmt: str):
        e = templating.environment(fmt, folder)
        real = e.compile

        def counting(source, name=None, filename=None, *args, **kwargs):
            compiled.append(name)
            return real(source, name, filename, *args, **kwargs)

        e.compile = counting
        return e

    assert templating.render(env("md"), "x.md.j2", {"n": 3}) == "3 个群\n"
    assert compiled == ["x.md.j2"]
    monkeypatch.setattr(templating, "_CODE_CACHE", templating._CompiledTemplates())  # a new process
    assert templating.render(env("md"), "x.md.j2", {"n": 4}) == "4 个群\n"
    assert compiled == ["x.md.j2"]  # read back from the cache folder, not compiled
    assert templating.render(env("html"), "x.md.j2", {"n": "<b>"}) == "&lt;b&gt; 个群\n"  # other settings
    assert compiled == ["x.md.j2"] * 2
    (folder / "x.md.j2").write_text("{{ n }} groups\n", encoding="utf-8")
    assert templating.render(env("md"), "x.md.j2", {"n": 5}) == "5 groups\n"
    assert compiled == ["x.md.j2"] * 3


def test_compiled_templates_are_not_kept_in_an_open_folder(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    cache_dir.chmod(0o777)  # others may write here: nothing is read from it or written into it
    monkeypatch.setenv("QUNCE_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(templating, "_CODE_CACHE", templating._CompiledTemplates())
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "x.md.j2").write_text("{{ n }}\n", encoding="utf-8")
    assert templating.render(templating.environment("md", folder), "x.md.j2", {"n": 1}) == "1\n"
    assert list(cache_dir.iterdir()) == []


def test_fewer_collections_only_while_a_batch_runs():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], GC_YOUNG)
        with fewer_collections():  # a second batch in the process (the page)
            pass
        assert gc.get_threshold()[0] == max(before[0], GC_YOUNG)
    assert gc.get_threshold() == before
