-- Headless neovim (0.7: vim.lsp.start_client, no vim.lsp.start) as a real editor of `retis lsp --stdio`:
-- opens a script, asks what the test says, and writes what the editor received as JSON. The test
-- (neovim.test.ts) passes its request in $RETIS_LSP_REQUEST and reads $RETIS_LSP_OUT.
--   nvim --headless -u NONE -c 'luafile test/lsp/neovim.lua'
local request = vim.fn.json_decode(os.getenv("RETIS_LSP_REQUEST"))
local out = os.getenv("RETIS_LSP_OUT")
local timeout = request.timeout_ms

local result = { completions = {}, diagnostics = {} }
-- The resolved item, applied at the end as accepting it would (its edit may replace text before the cursor).
local to_apply = nil

local function sync(method, params)
  local answers, err = vim.lsp.buf_request_sync(0, method, params, timeout)
  assert(answers, method .. ": " .. tostring(err))
  for _, answer in pairs(answers) do
    assert(not answer.err, method .. ": " .. vim.inspect(answer.err))
    return answer.result
  end
  error(method .. ": no answer")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(request.file))
  -- -u NONE has no filetype detection; didOpen's languageId is the filetype.
  vim.bo.filetype = "typescript"
  local id = vim.lsp.start_client({ name = "retis", cmd = request.cmd, root_dir = request.root })
  assert(id, "start_client failed")
  vim.lsp.buf_attach_client(0, id)
  assert(vim.wait(timeout, function()
    local client = vim.lsp.get_client_by_id(id)
    return client ~= nil and client.initialized
  end, 20), "the server did not initialize")

  local doc = vim.lsp.util.make_text_document_params()
  for _, at in ipairs(request.completions) do
    local answer = sync("textDocument/completion", { textDocument = doc, position = at })
    local labels, items = {}, (answer and (answer.items or answer)) or {}
    for _, item in ipairs(items) do
      table.insert(labels, item.label)
      if item.label == request.resolve and result.resolved == nil then
        local resolved = sync("completionItem/resolve", item)
        result.resolved = { detail = resolved.detail, documentation = resolved.documentation and resolved.documentation.value }
        to_apply = item
      end
    end
    table.insert(result.completions, labels)
  end

  local hover = sync("textDocument/hover", { textDocument = doc, position = request.hover })
  result.hover = hover and hover.contents and hover.contents.value

  -- Pushed diagnostics land in vim.diagnostic for this buffer.
  vim.wait(timeout, function() return #vim.diagnostic.get(0) > 0 end, 20)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(result.diagnostics, { message = d.message, lnum = d.lnum, col = d.col })
  end

  if to_apply and to_apply.textEdit then
    vim.lsp.util.apply_text_edits({ to_apply.textEdit }, 0, "utf-16")
    result.applied = vim.api.nvim_buf_get_lines(0, to_apply.textEdit.range.start.line, to_apply.textEdit.range.start.line + 1, true)[1]
  end
end)

if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd(ok and "qa!" or "cq!")
