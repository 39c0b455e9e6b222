" Vim syntax file
" Language:	mmsim scenario (mmsim-scenario(5))
" Filenames:	*.scn
" The keywords are those of the parser, sim/scenario.c.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" Names may hold '-', and '=' joins an option to its key: keyword characters, so
" that 'bug-no-isize-check' is one word and 'off=1M' is no 'off'.
syntax iskeyword @,48-57,_,-,=

" '#' starts a comment anywhere, even inside a token.
syntax match scnComment "#.*$" contains=scnTodo,@Spell
syntax keyword scnTodo contained TODO FIXME XXX NOTE

" [name,!name,...] at the start of a line.
syntax match scnCondition "^\s*\[[^]# \t]*\]" contains=scnCondName,scnCondNot
syntax match scnCondNot contained "!"
syntax keyword scnCondName contained xip-2014 dax-2014 dax-2016 dax-2017 modern

syntax keyword scnSetup policy policies switch bug pmem dram
syntax keyword scnObject file process exit fork
syntax keyword scnSyscall mmap munmap mprotect madvise msync mremap
syntax keyword scnSyscall read write truncate punch zero fallocate fsync close
syntax keyword scnAccess load store touch flush
syntax keyword scnCheck check expect show
syntax keyword scnNotModelled gup put_page dma reclaim poison unbind crash
syntax keyword scnNotModelled remount fiemap thread concurrent

" What follows 'expect' and 'show'.
syntax keyword scnExpect result pte entry block block-free owner rss smaps
syntax keyword scnExpect faults memory stat mtime violated maps status tree

" Bare words: flags, advice, modes, states.
syntax keyword scnWord dax nodax shared private shared-validate fixed populate
syntax keyword scnWord sync async nohuge invalidate maymove direct keep-size
syntax keyword scnWord dontneed hugepage nohugepage remove on off
syntax keyword scnWord none present ro dirty clean young old anon special pmd pte
syntax keyword scnWord empty towrite locked unlocked hole unwritten mapped page
syntax keyword scnWord durable volatile changed unchanged
syntax match scnWord "!towrite\>"

" Invariants, for 'expect violated'.
syntax keyword scnInvariant zero-page-stale beyond-eof freed-block
syntax keyword scnInvariant pte-entry-coherent dirty-tracked data-oracle
syntax keyword scnInvariant refcount-balance rss-accounting private-cow
syntax keyword scnInvariant durable-after-sync pinned-block faultaround-bounds
syntax keyword scnInvariant pmd-split-keeps-dirty no-lock-leak lock-order

" KEY= of an option (len=, prot=, Rss=, ...).
syntax match scnOption "\<[A-Za-z_][A-Za-z_]*=" contains=scnOptionEq
syntax match scnOptionEq contained "="

" Numbers: decimal, 0x hex, octal, with K M G T and an optional B; kB.
syntax match scnNumber "\<\(0x\x\+\|\d\+\)\([KMGT]B\=\|kB\)\=\>"
syntax match scnNumber "\(=\|+\|\.\.\)\@<=\(0x\x\+\|\d\+\)\([KMGT]B\=\|kB\)\=\>"

" => RESULT: ok, a value, SIGBUS, SIGSEGV, -EXXX, ret=N
syntax match scnArrow "=>" nextgroup=scnResult skipwhite
syntax keyword scnResult ok SIGBUS SIGSEGV
syntax match scnResult "-E[A-Z]\+\>"
syntax match scnResult "\<ret=\(0x\x\+\|\d\+\)\([KMGT]B\=\)\=\>"

hi def link scnComment     Comment
hi def link scnTodo        Todo
hi def link scnCondition   PreProc
hi def link scnCondName    PreProc
hi def link scnCondNot     Operator
hi def link scnSetup       PreProc
hi def link scnObject      Structure
hi def link scnSyscall     Statement
hi def link scnAccess      Statement
hi def link scnCheck       Keyword
hi def link scnNotModelled Statement
hi def link scnExpect      Type
hi def link scnWord        Identifier
hi def link scnInvariant   Constant
hi def link scnOption      Special
hi def link scnOptionEq    Operator
hi def link scnNumber      Number
hi def link scnArrow       Operator
hi def link scnResult      Constant

let b:current_syntax = "scn"

let &cpo = s:cpo_save
unlet s:cpo_save
